CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL); CREATE VIEW names AS SELECT id, name FROM sites;
