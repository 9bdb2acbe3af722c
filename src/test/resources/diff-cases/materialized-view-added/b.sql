CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL); CREATE MATERIALIZED VIEW site_count AS SELECT count(*) AS n FROM sites; CREATE INDEX ix_site_count ON site_count (n);
