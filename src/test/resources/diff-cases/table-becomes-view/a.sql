CREATE TABLE sites (id int PRIMARY KEY, name text NOT NULL, archived boolean NOT NULL DEFAULT false);
CREATE TABLE site_names (id int PRIMARY KEY, name text);
CREATE INDEX ix_site_names_name ON site_names (name);
COMMENT ON TABLE site_names IS 'Names of the sites';
GRANT SELECT ON site_names TO bem_diff_reader;
CREATE VIEW named_sites AS SELECT id FROM site_names WHERE name IS NOT NULL;
