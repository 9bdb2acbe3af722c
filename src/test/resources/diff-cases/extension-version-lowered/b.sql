CREATE EXTENSION pg_trgm WITH VERSION '1.5';
CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL);
CREATE VIEW people_alike AS SELECT id, similarity(name, 'smith') AS score FROM people;
CREATE INDEX ix_people_name_trgm ON people USING gin (name gin_trgm_ops);
