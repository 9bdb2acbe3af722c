DROP TABLE buildings;
DROP TABLE sites;
