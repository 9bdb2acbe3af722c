CREATE TABLE t (zone text DEFAULT 'UTC', n int DEFAULT 1);
