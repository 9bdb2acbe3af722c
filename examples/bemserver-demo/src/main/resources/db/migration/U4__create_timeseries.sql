DROP TABLE timeseries;
DROP TABLE ts_data_states;
DROP TABLE ts_props;
