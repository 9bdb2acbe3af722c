CREATE TABLE t (s varchar(80), n bigint);
