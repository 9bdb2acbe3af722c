CREATE OR REPLACE VIEW v_latest_reading AS
SELECT max(taken_at) AS taken_at FROM readings;
