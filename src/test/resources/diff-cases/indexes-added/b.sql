CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL); CREATE INDEX ix_lower ON sites (lower(name)) INCLUDE (id) WHERE name <> ''; CREATE INDEX ix_hash ON sites USING hash (name);
