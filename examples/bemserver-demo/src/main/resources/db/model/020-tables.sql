-- Tables of the bemserver-demo schema at head (revision 7), with their constraints and indexes.
CREATE TABLE users (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    email varchar(80) NOT NULL,
    password varchar(200) NOT NULL,
    is_admin boolean NOT NULL DEFAULT false,
    is_active boolean NOT NULL DEFAULT true,
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email)
);

CREATE TABLE user_groups (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    CONSTRAINT pk_user_groups PRIMARY KEY (id),
    CONSTRAINT uq_user_groups_name UNIQUE (name)
);

CREATE TABLE users_by_user_groups (
    id serial NOT NULL,
    user_id integer NOT NULL,
    user_group_id integer NOT NULL,
    CONSTRAINT pk_users_by_user_groups PRIMARY KEY (id),
    CONSTRAINT uq_users_by_user_groups_user_id_user_group_id UNIQUE (user_id, user_group_id),
    CONSTRAINT fk_users_by_user_groups_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_users_by_user_groups_user_group_id_user_groups FOREIGN KEY (user_group_id)
        REFERENCES user_groups (id) ON DELETE CASCADE
);

CREATE TABLE campaigns (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    description varchar(500),
    start_time timestamp with time zone,
    end_time timestamp with time zone,
    timezone varchar(40) NOT NULL DEFAULT 'UTC',
    CONSTRAINT pk_campaigns PRIMARY KEY (id),
    CONSTRAINT uq_campaigns_name UNIQUE (name),
    CONSTRAINT ck_campaigns_time_frame CHECK (end_time IS NULL OR start_time IS NULL OR end_time > start_time)
);

CREATE TABLE user_groups_by_campaigns (
    id serial NOT NULL,
    user_group_id integer NOT NULL,
    campaign_id integer NOT NULL,
    CONSTRAINT pk_user_groups_by_campaigns PRIMARY KEY (id),
    CONSTRAINT uq_user_groups_by_campaigns_user_group_id_campaign_id UNIQUE (user_group_id, campaign_id),
    CONSTRAINT fk_user_groups_by_campaigns_user_group_id_user_groups FOREIGN KEY (user_group_id)
        REFERENCES user_groups (id) ON DELETE CASCADE,
    CONSTRAINT fk_user_groups_by_campaigns_campaign_id_campaigns FOREIGN KEY (campaign_id)
        REFERENCES campaigns (id) ON DELETE CASCADE
);

CREATE TABLE sites (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    description varchar(500),
    campaign_id integer NOT NULL,
    latitude double precision,
    longitude double precision,
    CONSTRAINT pk_sites PRIMARY KEY (id),
    CONSTRAINT uq_sites_name_campaign_id UNIQUE (name, campaign_id),
    CONSTRAINT fk_sites_campaign_id_campaigns FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT ck_sites_location CHECK (latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180)
);

CREATE TABLE buildings (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    description varchar(500),
    site_id integer NOT NULL,
    CONSTRAINT pk_buildings PRIMARY KEY (id),
    CONSTRAINT uq_buildings_name_site_id UNIQUE (name, site_id),
    CONSTRAINT fk_buildings_site_id_sites FOREIGN KEY (site_id) REFERENCES sites (id)
);

CREATE INDEX ix_buildings_site_id ON buildings (site_id);

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

CREATE TABLE event_categs (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    description varchar(500),
    CONSTRAINT pk_event_categs PRIMARY KEY (id),
    CONSTRAINT uq_event_categs_name UNIQUE (name)
);

CREATE TABLE events (
    id serial NOT NULL,
    campaign_id integer NOT NULL,
    category_id integer NOT NULL,
    level event_level NOT NULL DEFAULT 'INFO',
    timestamp timestamp with time zone NOT NULL,
    source varchar(80) NOT NULL,
    description varchar(500),
    CONSTRAINT pk_events PRIMARY KEY (id),
    CONSTRAINT fk_events_campaign_id_campaigns FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_events_category_id_event_categs FOREIGN KEY (category_id) REFERENCES event_categs (id)
);

CREATE INDEX ix_events_timestamp ON events (timestamp);
