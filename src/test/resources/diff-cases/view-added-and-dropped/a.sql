CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL); CREATE VIEW old_names AS SELECT name FROM sites;
