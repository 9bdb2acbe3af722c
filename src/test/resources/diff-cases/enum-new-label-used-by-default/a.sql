CREATE TYPE level AS ENUM ('DEBUG', 'INFO'); CREATE TABLE events (level level DEFAULT 'INFO');
