def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Wrote target/bemserver/downgrade-3-to-1.sql: downgrade from revision 3 to 1 (2 undo scripts)')
assert log.contains('[INFO] Run it with: psql -v ON_ERROR_STOP=1 -f target/bemserver/downgrade-3-to-1.sql')
def file = new File(basedir, 'target/bemserver/downgrade-3-to-1.sql')
def sql = file.text
assert sql.startsWith('-- Downgrade of org.bemserver.it:db-script-downgrade-range:1.0 from revision 3 to revision 1, written by bemserver db-script\n')
assert sql.contains('\n-- Reverting 3 - add site timezone (1/2): U3__add_site_timezone.sql\n')
assert sql.contains('\n-- Reverting 2 - create sites (2/2): U2__create_sites.sql\n')

def run = it.runSqlFile(file)
assert run.exitCode() == 0 : run.output()
// revisions 3 and 2 undone: their tables and history rows gone, the schema and rows of revision 1 left
assert it.appliedRevisions() == ['1']
assert it.tables() == ['flyway_schema_history', 'users']
assert it.schema() == context.get('schemaAtOne')
assert it.column('SELECT installed_rank || \' \' || version || \' \' || checksum FROM flyway_schema_history ORDER BY installed_rank') == context.get('historyAtOne')

// a second run stops at the guard with nothing changed
def again = it.runSqlFile(file)
assert again.exitCode() == 3
assert again.output().contains('The database is at revision 1, not 3 as this script expects: nothing was changed')
assert it.appliedRevisions() == ['1']
assert it.schema() == context.get('schemaAtOne')
