-- Default rows: reference data every bemserver-demo database holds.
INSERT INTO ts_props (id, name, description, value_type, unit_symbol) VALUES
    (1, 'Min', 'Minimum expected value', 'float', NULL),
    (2, 'Max', 'Maximum expected value', 'float', NULL),
    (3, 'Interval', 'Expected interval', 'float', 's');
SELECT pg_catalog.setval('ts_props_id_seq', 3, true);

INSERT INTO ts_data_states (id, name) VALUES (1, 'Raw'), (2, 'Clean');
SELECT pg_catalog.setval('ts_data_states_id_seq', 2, true);

INSERT INTO event_categs (id, name, description) VALUES
    (1, 'Data missing', NULL),
    (2, 'Data present', NULL),
    (3, 'Data outliers', NULL);
SELECT pg_catalog.setval('event_categs_id_seq', 3, true);
