def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Applying 7 - create events (7/7)')
assert log.contains('[INFO] Current revision: 7 (head)')
assert it.appliedRevisions() == ['1', '2', '3', '4', '5', '6', '7']
assert it.tables().size() == 15 // 14 tables and the history
assert it.column('SELECT name FROM ts_data_states ORDER BY id') == ['Raw', 'Clean']
assert it.value("SELECT count(*) FROM pg_views WHERE schemaname = 'public'") == '1'
