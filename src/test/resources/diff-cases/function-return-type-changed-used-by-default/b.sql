CREATE FUNCTION next_code() RETURNS bigint LANGUAGE sql AS $$ SELECT 42::bigint $$;
CREATE TABLE t (id int, code int DEFAULT next_code(), label text DEFAULT next_code()::text); INSERT INTO t (id) VALUES (1);
