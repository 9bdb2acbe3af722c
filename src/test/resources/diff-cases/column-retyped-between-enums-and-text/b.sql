CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE feeling AS ENUM ('sad', 'ok', 'happy', 'angry');
CREATE TABLE notes (id int PRIMARY KEY, m feeling NOT NULL DEFAULT 'ok', s mood DEFAULT 'sad', label text, moods feeling[]);
CREATE VIEW happy_notes AS SELECT id FROM notes WHERE m = 'happy';
INSERT INTO notes VALUES (1, 'happy', 'sad', 'ok', '{sad,ok}');
