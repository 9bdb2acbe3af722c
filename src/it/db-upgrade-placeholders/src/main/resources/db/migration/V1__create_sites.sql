CREATE TABLE sites (name varchar(80) NOT NULL, timezone varchar(40) NOT NULL DEFAULT '${zone}');
INSERT INTO sites (name) VALUES ('${site_name}');
