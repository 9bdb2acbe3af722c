CREATE TABLE energies (id int PRIMARY KEY, name text); CREATE TABLE end_uses (id int PRIMARY KEY, energy_id int REFERENCES energies (id));
