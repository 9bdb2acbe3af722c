CREATE TYPE person AS (id int, name text, born date);
