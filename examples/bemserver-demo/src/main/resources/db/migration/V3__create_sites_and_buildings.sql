-- The physical hierarchy of a campaign: sites hold buildings.
CREATE TABLE sites (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    description varchar(500),
    campaign_id integer NOT NULL,
    CONSTRAINT pk_sites PRIMARY KEY (id),
    CONSTRAINT uq_sites_name_campaign_id UNIQUE (name, campaign_id),
    CONSTRAINT fk_sites_campaign_id_campaigns FOREIGN KEY (campaign_id) REFERENCES campaigns (id)
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
