CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL); CREATE VIEW v1 AS SELECT id, name, upper(name) AS loud FROM sites; CREATE VIEW v2 AS SELECT name FROM v1;
