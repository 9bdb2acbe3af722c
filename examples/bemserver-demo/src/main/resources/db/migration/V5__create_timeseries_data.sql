-- The measurements, per timeseries and data state.
CREATE TABLE ts_by_data_states (
    id serial NOT NULL,
    timeseries_id integer NOT NULL,
    data_state_id integer NOT NULL,
    CONSTRAINT pk_ts_by_data_states PRIMARY KEY (id),
    CONSTRAINT uq_ts_by_data_states_timeseries_id_data_state_id UNIQUE (timeseries_id, data_state_id),
    CONSTRAINT fk_ts_by_data_states_timeseries_id_timeseries FOREIGN KEY (timeseries_id)
        REFERENCES timeseries (id) ON DELETE CASCADE,
    CONSTRAINT fk_ts_by_data_states_data_state_id_ts_data_states FOREIGN KEY (data_state_id)
        REFERENCES ts_data_states (id)
);

CREATE TABLE ts_data (
    timestamp timestamp with time zone NOT NULL,
    ts_by_data_state_id integer NOT NULL,
    value double precision,
    CONSTRAINT pk_ts_data PRIMARY KEY (ts_by_data_state_id, timestamp),
    CONSTRAINT fk_ts_data_ts_by_data_state_id_ts_by_data_states FOREIGN KEY (ts_by_data_state_id)
        REFERENCES ts_by_data_states (id) ON DELETE CASCADE
);

CREATE INDEX ix_ts_data_timestamp ON ts_data (timestamp);
