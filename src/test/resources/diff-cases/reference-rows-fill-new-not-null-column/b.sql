CREATE TABLE ts_props (id serial PRIMARY KEY, name text NOT NULL, value_type text NOT NULL); INSERT INTO ts_props (name, value_type) VALUES ('Min', 'float'), ('Max', 'float');
