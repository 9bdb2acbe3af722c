CREATE FUNCTION next_code() RETURNS int LANGUAGE sql AS $$ SELECT 42 $$;
CREATE TABLE t (id int, code int DEFAULT next_code(), label text DEFAULT next_code()::text); INSERT INTO t (id) VALUES (1);
