CREATE TABLE ts_data_states (id serial PRIMARY KEY, name varchar(80) NOT NULL UNIQUE); INSERT INTO ts_data_states (name) VALUES ('Raw'), ('Clean'), ('Old');
