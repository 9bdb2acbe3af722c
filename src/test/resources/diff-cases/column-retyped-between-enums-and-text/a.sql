CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE feeling AS ENUM ('sad', 'ok', 'happy', 'angry');
CREATE TABLE notes (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'ok', s text DEFAULT 'sad', label mood, moods mood[]);
CREATE VIEW happy_notes AS SELECT id FROM notes WHERE m = 'happy';
INSERT INTO notes VALUES (1, 'happy', 'sad', 'ok', '{sad,ok}');
