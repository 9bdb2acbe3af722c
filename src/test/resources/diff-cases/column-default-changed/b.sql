CREATE TABLE t (zone text DEFAULT 'Europe/Paris', n int);
