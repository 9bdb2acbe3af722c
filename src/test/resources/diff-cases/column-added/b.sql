CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL, timezone varchar(40) NOT NULL DEFAULT 'UTC');
