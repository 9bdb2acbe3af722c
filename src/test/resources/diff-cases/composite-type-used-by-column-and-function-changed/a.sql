CREATE TYPE pair AS (a int, b int); CREATE TABLE t (p pair); INSERT INTO t VALUES ((1, 2));
CREATE FUNCTION first_of(x pair) RETURNS int LANGUAGE sql AS $$ SELECT (x).a $$;
CREATE TYPE span AS (lo int, hi int, unit text);
CREATE FUNCTION width(s span) RETURNS bigint LANGUAGE sql AS $$ SELECT ((s).hi - (s).lo)::bigint $$;
