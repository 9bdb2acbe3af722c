-- Sites get a location, and a view summarises each campaign.
ALTER TABLE sites ADD COLUMN latitude double precision;
ALTER TABLE sites ADD COLUMN longitude double precision;
ALTER TABLE sites ADD CONSTRAINT ck_sites_location
    CHECK (latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180);

CREATE VIEW campaign_summaries AS
    SELECT c.id AS campaign_id,
           c.name AS campaign_name,
           count(DISTINCT s.id) AS sites,
           count(DISTINCT t.id) AS timeseries
      FROM campaigns c
      LEFT JOIN sites s ON s.campaign_id = c.id
      LEFT JOIN timeseries t ON t.campaign_id = c.id
     GROUP BY c.id, c.name;
