CREATE FUNCTION is_code(text) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT length($1) $$; CREATE TABLE t (code text CONSTRAINT ck_t_code CHECK (is_code(code) > 0));
