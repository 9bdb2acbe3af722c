CREATE TYPE person AS (id int, name text);
CREATE TABLE people (id int, name text); INSERT INTO people VALUES (1, 'a');
CREATE TABLE staff OF person (name WITH OPTIONS NOT NULL); INSERT INTO staff VALUES (2, 'b');
