-- outside a transaction: Flyway runs this script itself, without one
CREATE INDEX CONCURRENTLY ix_readings_taken_at ON readings (taken_at);
