CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL); GRANT SELECT ON sites TO bem_diff_reader; CREATE TABLE logs (x int); GRANT INSERT ON logs TO bem_diff_reader;
