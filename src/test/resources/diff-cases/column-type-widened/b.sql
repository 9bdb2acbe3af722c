CREATE TABLE t (n bigint, s text);
