CREATE TABLE t (n integer, s varchar(20));
