CREATE TABLE readings (id int PRIMARY KEY, sensor text NOT NULL, value numeric);
CREATE VIEW sensor_totals AS SELECT sensor, sum(value) AS total FROM readings GROUP BY sensor;
COMMENT ON VIEW sensor_totals IS 'Totals per sensor';
GRANT SELECT ON sensor_totals TO bem_diff_reader;
CREATE VIEW big_sensors AS SELECT sensor FROM sensor_totals WHERE total > 100;
