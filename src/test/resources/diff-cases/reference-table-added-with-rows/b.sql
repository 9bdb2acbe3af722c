CREATE TABLE ts_props (id serial PRIMARY KEY, name text NOT NULL, unit text); INSERT INTO ts_props (name, unit) VALUES ('Min', NULL), ('Interval', 's');
