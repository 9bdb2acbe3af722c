CREATE TABLE energies (id int PRIMARY KEY, name text); INSERT INTO energies VALUES (1, 'all'); CREATE TABLE consumption (energy_id int); INSERT INTO consumption VALUES (1), (2);
