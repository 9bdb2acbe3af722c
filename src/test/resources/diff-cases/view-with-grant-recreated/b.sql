CREATE TABLE t (id int, name text); CREATE VIEW v AS SELECT id, name FROM t; GRANT SELECT ON v TO bem_diff_reader;
