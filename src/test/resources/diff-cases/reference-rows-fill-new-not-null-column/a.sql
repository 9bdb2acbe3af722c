CREATE TABLE ts_props (id serial PRIMARY KEY, name text NOT NULL); INSERT INTO ts_props (name) VALUES ('Min'), ('Max');
