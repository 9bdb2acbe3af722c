CREATE TABLE t (s varchar(20), n integer);
