CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL); ALTER TABLE sites ENABLE ROW LEVEL SECURITY; CREATE POLICY named ON sites FOR SELECT TO bem_diff_reader USING (name <> '');
