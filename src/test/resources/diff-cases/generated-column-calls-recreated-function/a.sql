CREATE FUNCTION twice(x int) RETURNS int IMMUTABLE LANGUAGE sql AS $$ SELECT x * 2 $$;
CREATE TABLE t (id int, doubled int GENERATED ALWAYS AS (twice(id)) STORED, wide bigint GENERATED ALWAYS AS (twice(id) + 1) STORED);
CREATE INDEX ix_doubled ON t (doubled); CREATE VIEW v AS SELECT id, doubled FROM t;
INSERT INTO t (id) VALUES (1), (2);
