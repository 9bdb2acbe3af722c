CREATE TYPE pair AS (a int, c date); CREATE TABLE t (p pair); INSERT INTO t VALUES ((1, NULL));
CREATE FUNCTION first_of(x pair) RETURNS int LANGUAGE sql AS $$ SELECT (x).a $$;
CREATE TYPE span AS (lo bigint, hi bigint, unit text, step numeric(10,2));
CREATE FUNCTION width(s span) RETURNS bigint LANGUAGE sql AS $$ SELECT ((s).hi - (s).lo)::bigint $$;
