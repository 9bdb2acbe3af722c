def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Applying 2 - create sites (2/2)')
assert log.contains('on project db-upgrade-failing-migration: Migration src/main/resources/db/migration/V2__create_sites.sql '
        + 'failed at line 4 (SQL state 42P01: relation "no_such_table" does not exist); the database stays at revision 1: '
        + 'fix the script and run db-upgrade again -> [Help 1]')
// revision 1 stays, nothing of revision 2 is left
assert it.appliedRevisions() == ['1']
assert it.value('SELECT count(*) FROM flyway_schema_history') == '1'
assert it.tables() == ['flyway_schema_history', 'users']
