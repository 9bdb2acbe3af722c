CREATE TABLE states (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text, loud text GENERATED ALWAYS AS (upper(name)) STORED); INSERT INTO states (name) VALUES ('raw'), ('clean');
