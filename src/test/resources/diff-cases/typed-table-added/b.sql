CREATE TYPE person AS (id int, name text, born date);
CREATE TABLE people OF person (PRIMARY KEY (id), name WITH OPTIONS NOT NULL DEFAULT 'nobody'); INSERT INTO people (id) VALUES (1);
COMMENT ON TABLE people IS 'a typed table';
