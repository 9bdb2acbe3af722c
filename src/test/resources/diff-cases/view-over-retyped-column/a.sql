CREATE TABLE t (id int, v varchar(20)); CREATE VIEW tv AS SELECT id, v FROM t;
