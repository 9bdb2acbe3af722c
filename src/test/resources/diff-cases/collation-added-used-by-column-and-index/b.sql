CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
COMMENT ON COLLATION case_insensitive IS 'compares names without case';
CREATE COLLATION plain (provider = libc, lc_collate = 'C', lc_ctype = 'C');
CREATE TABLE people (id int PRIMARY KEY, name text COLLATE case_insensitive NOT NULL DEFAULT 'x');
CREATE INDEX ix_people_name ON people (name COLLATE plain);
CREATE VIEW people_names AS SELECT name COLLATE plain AS name FROM people;
