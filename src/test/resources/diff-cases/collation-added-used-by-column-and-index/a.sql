CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x');
CREATE INDEX ix_people_name ON people (name);
