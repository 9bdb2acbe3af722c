-- a template the application fills in itself: its ${...} are not the build's placeholders
CREATE TABLE templates AS SELECT 'Welcome to ${site_name}, ${user' ::text AS body;
