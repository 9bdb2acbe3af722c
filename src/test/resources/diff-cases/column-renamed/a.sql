CREATE TABLE t (id int, zone text NOT NULL DEFAULT 'UTC');
