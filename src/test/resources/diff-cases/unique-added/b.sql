CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL); ALTER TABLE sites ADD CONSTRAINT uq_sites_name UNIQUE (name);
