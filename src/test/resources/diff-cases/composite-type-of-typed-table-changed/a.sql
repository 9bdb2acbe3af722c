CREATE TYPE person AS (id int, name varchar(20), age int, nickname text);
CREATE TABLE people OF person (id WITH OPTIONS PRIMARY KEY, name WITH OPTIONS NOT NULL DEFAULT 'anonymous');
CREATE INDEX ix_people_name ON people (name);
CREATE VIEW adults AS SELECT id, name FROM people WHERE age >= 18;
CREATE TABLE vip (since date) INHERITS (people);
INSERT INTO people VALUES (1, 'ann', 20, 'annie');
INSERT INTO vip VALUES (2, 'bob', 40, 'bobby', '2020-01-01');
