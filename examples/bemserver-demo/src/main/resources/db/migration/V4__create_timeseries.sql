-- Timeseries, their properties and data states; the properties and states come with default rows.
CREATE TABLE ts_props (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    description varchar(500),
    value_type varchar(20) NOT NULL DEFAULT 'float',
    unit_symbol varchar(20),
    CONSTRAINT pk_ts_props PRIMARY KEY (id),
    CONSTRAINT uq_ts_props_name UNIQUE (name),
    CONSTRAINT ck_ts_props_value_type CHECK (value_type IN ('integer', 'float', 'boolean', 'string'))
);

CREATE TABLE ts_data_states (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    CONSTRAINT pk_ts_data_states PRIMARY KEY (id),
    CONSTRAINT uq_ts_data_states_name UNIQUE (name)
);

CREATE TABLE timeseries (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    description varchar(500),
    unit_symbol varchar(20),
    campaign_id integer NOT NULL,
    CONSTRAINT pk_timeseries PRIMARY KEY (id),
    CONSTRAINT uq_timeseries_name_campaign_id UNIQUE (name, campaign_id),
    CONSTRAINT fk_timeseries_campaign_id_campaigns FOREIGN KEY (campaign_id) REFERENCES campaigns (id)
);

INSERT INTO ts_props (name, description, value_type, unit_symbol) VALUES
    ('Min', 'Minimum expected value', 'float', NULL),
    ('Max', 'Maximum expected value', 'float', NULL),
    ('Interval', 'Expected interval', 'float', 's');

INSERT INTO ts_data_states (name) VALUES ('Raw'), ('Clean');
