CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL); COMMENT ON TABLE sites IS 'Where buildings are'; COMMENT ON COLUMN sites.name IS 'Unique per campaign';
