CREATE TABLE t (n int); CREATE PROCEDURE add_one(x int) LANGUAGE sql AS $$ INSERT INTO t VALUES (x) $$; CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int);
