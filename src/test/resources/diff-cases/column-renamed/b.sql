CREATE TABLE t (id int, timezone text NOT NULL DEFAULT 'UTC');
