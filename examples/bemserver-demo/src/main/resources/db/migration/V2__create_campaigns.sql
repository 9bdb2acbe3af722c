-- Campaigns: a time frame of measurements, shared with user groups.
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
