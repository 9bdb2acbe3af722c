CREATE TABLE users (id serial PRIMARY KEY, name varchar(80) NOT NULL UNIQUE);
CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL, timezone varchar(40) NOT NULL DEFAULT 'UTC');
INSERT INTO sites (id, name) VALUES (1, 'HQ');
SELECT pg_catalog.setval('sites_id_seq', 1, true);
