CREATE FUNCTION nothing() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL);
