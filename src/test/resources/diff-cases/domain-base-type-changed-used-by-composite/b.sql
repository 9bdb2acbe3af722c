CREATE DOMAIN amount AS numeric(10,2) CHECK (VALUE >= 0);
CREATE TYPE order_line AS (qty int, total amount);
CREATE FUNCTION line_total(l order_line) RETURNS amount LANGUAGE sql AS $$ SELECT (l).total $$;
CREATE TABLE t (id int, a amount); INSERT INTO t VALUES (1, 7);
