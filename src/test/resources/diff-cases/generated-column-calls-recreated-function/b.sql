CREATE FUNCTION twice(x int) RETURNS bigint IMMUTABLE LANGUAGE sql AS $$ SELECT x::bigint * 2 $$;
CREATE TABLE t (id int, doubled bigint GENERATED ALWAYS AS (twice(id)) STORED, wide bigint GENERATED ALWAYS AS (twice(id) + 1) STORED);
CREATE INDEX ix_doubled ON t (doubled); CREATE VIEW v AS SELECT id, doubled FROM t;
INSERT INTO t (id) VALUES (1), (2);
