CREATE TYPE person AS (id int, name text, age int, born date);
CREATE TABLE people OF person (
    id WITH OPTIONS PRIMARY KEY,
    name WITH OPTIONS NOT NULL DEFAULT 'anonymous',
    born WITH OPTIONS NOT NULL DEFAULT '2000-01-01'
);
CREATE INDEX ix_people_name ON people (name);
CREATE VIEW adults AS SELECT id, name FROM people WHERE age >= 18;
CREATE TABLE vip (since date) INHERITS (people);
INSERT INTO people VALUES (1, 'ann', 20, '1990-05-01');
INSERT INTO vip VALUES (2, 'bob', 40, '1980-05-01', '2020-01-01');
