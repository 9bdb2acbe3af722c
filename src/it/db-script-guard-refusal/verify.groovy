def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Wrote target/bemserver/upgrade-2-to-3.sql: upgrade from revision 2 to 3 (1 migration)')
def file = new File(basedir, 'target/bemserver/upgrade-2-to-3.sql')
def history = 'SELECT installed_rank, version, script, checksum, installed_by, installed_on, success FROM flyway_schema_history ORDER BY installed_rank'
def tables = it.tables()
def schema = it.schema()
def rows = it.column("SELECT string_agg(h::text, ' | ') FROM (${history}) h")
assert tables == ['flyway_schema_history', 'users']

def run = it.runSqlFile(file)
assert run.exitCode() == 3
assert run.output().contains('The database is at revision 1, not 2 as this script expects: nothing was changed')
// nothing changed: no table, no column, no history row, and no lock left behind
assert it.tables() == tables
assert it.schema() == schema
assert it.column("SELECT string_agg(h::text, ' | ') FROM (${history}) h") == rows
assert it.appliedRevisions() == ['1']
assert it.value("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()") == '0'
