def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Current revision: 2 (head)')
assert it.appliedRevisions() == ['1', '2']
assert it.value("SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NULL AND script = 'R__v_latest_reading.sql'") == '1'
// the index built concurrently is valid, and the repeatable script's view exists
assert it.value("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_readings_taken_at'::regclass") == 't'
assert it.value("SELECT count(*) FROM pg_views WHERE viewname = 'v_latest_reading'") == '1'
