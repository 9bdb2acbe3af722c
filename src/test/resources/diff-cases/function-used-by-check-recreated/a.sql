CREATE FUNCTION is_code(text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1 ~ '^[A-Z]+$' $$; CREATE TABLE t (code text CONSTRAINT ck_t_code CHECK (is_code(code)));
