CREATE TYPE level AS ENUM ('DEBUG', 'INFO', 'TRACE'); CREATE TABLE events (id int, level level NOT NULL DEFAULT 'INFO'); CREATE VIEW infos AS SELECT id FROM events WHERE level = 'INFO';
