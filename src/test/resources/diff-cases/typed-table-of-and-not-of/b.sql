CREATE TYPE person AS (id int, name text);
CREATE TABLE people OF person; INSERT INTO people VALUES (1, 'a');
CREATE TABLE staff (id int, name text NOT NULL); INSERT INTO staff VALUES (2, 'b');
