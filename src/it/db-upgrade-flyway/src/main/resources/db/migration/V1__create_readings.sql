CREATE TABLE readings (
    id bigint PRIMARY KEY,
    taken_at timestamptz NOT NULL,
    value double precision
);
