DROP TABLE events;
DROP TABLE event_categs;
DROP TYPE event_level;
