CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL); CREATE INDEX ix_named ON sites (name) WHERE name <> 'none';
