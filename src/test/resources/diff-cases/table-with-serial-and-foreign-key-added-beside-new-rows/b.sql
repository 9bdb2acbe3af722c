CREATE TABLE users (id serial PRIMARY KEY, name varchar(80) NOT NULL UNIQUE);
CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL, timezone varchar(40) NOT NULL DEFAULT 'UTC');
INSERT INTO sites (id, name) VALUES (1, 'HQ');
ALTER TABLE sites ADD COLUMN altitude real;
CREATE TABLE buildings (
    id serial PRIMARY KEY,
    site_id integer NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name varchar(80) NOT NULL
);
INSERT INTO sites (id, name, timezone) VALUES (2, 'Lab', 'Europe/Paris');
SELECT pg_catalog.setval('sites_id_seq', 2, true);
