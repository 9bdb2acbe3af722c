CREATE EXTENSION fuzzystrmatch WITH VERSION '1.1';
CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL);
CREATE VIEW people_sounds AS SELECT id, soundex(name) AS sound FROM people;
CREATE INDEX ix_people_sound ON people (soundex(name));
