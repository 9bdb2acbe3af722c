-- Events raised on timeseries, with a level enum and categories shipped as default rows.
CREATE TYPE event_level AS ENUM ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL');

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

INSERT INTO event_categs (name, description) VALUES
    ('Data missing', NULL),
    ('Data present', NULL),
    ('Data outliers', NULL);
