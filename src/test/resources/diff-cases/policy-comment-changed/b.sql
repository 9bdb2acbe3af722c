CREATE TABLE s (id int); ALTER TABLE s ENABLE ROW LEVEL SECURITY; CREATE POLICY everyone ON s USING (true);
COMMENT ON POLICY everyone ON s IS 'Every row, for now';
