DROP TABLE ts_data;
DROP TABLE ts_by_data_states;
