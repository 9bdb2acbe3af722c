CREATE SEQUENCE tickets_id_seq START WITH 100;
CREATE TABLE tickets (id bigint NOT NULL DEFAULT nextval('tickets_id_seq') PRIMARY KEY, title text);
GRANT USAGE ON SEQUENCE tickets_id_seq TO bem_diff_reader;
INSERT INTO tickets (title) VALUES ('first');
