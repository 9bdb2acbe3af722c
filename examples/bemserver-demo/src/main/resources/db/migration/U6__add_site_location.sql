DROP VIEW campaign_summaries;
ALTER TABLE sites DROP CONSTRAINT ck_sites_location;
ALTER TABLE sites DROP COLUMN longitude;
ALTER TABLE sites DROP COLUMN latitude;
