def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Wrote target/bemserver/upgrade-base-to-7.sql: upgrade from revision <base> to 7 (7 migrations)')
assert log.contains('[INFO] Run it with: psql -v ON_ERROR_STOP=1 -f target/bemserver/upgrade-base-to-7.sql')
assert log.contains('[INFO] Attached as db-script-base-to-head-1.0-upgrade-base-to-7.sql')
def file = new File(basedir, 'target/bemserver/upgrade-base-to-7.sql')
def sql = file.text
assert sql.startsWith('-- Upgrade of org.bemserver.it:db-script-base-to-head:1.0 from revision <base> to revision 7, written by bemserver db-script\n')
assert sql.contains('-- Run it with: psql -v ON_ERROR_STOP=1 -f upgrade-base-to-7.sql (and your connection options)\n')
assert sql.contains('\n-- Applying 7 - create events (7/7): V7__create_events.sql\n')
assert new File(basedir, 'target/bemserver').list() as List == ['upgrade-base-to-7.sql']

assert it.runSqlFile(file).exitCode() == 0
assert it.appliedRevisions() == ['1', '2', '3', '4', '5', '6', '7']
assert it.tables().size() == 15 // 14 tables and the history
assert it.column('SELECT name FROM ts_data_states ORDER BY id') == ['Raw', 'Clean']
assert it.value("SELECT count(*) FROM pg_views WHERE schemaname = 'public'") == '1'
// a second run stops at the guard with nothing changed
assert it.runSqlFile(file).exitCode() == 3
assert it.appliedRevisions() == ['1', '2', '3', '4', '5', '6', '7']
