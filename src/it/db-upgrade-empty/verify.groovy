def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
assert log.contains('[INFO] Database: postgresql+psycopg://' + itPgUser + ':***@localhost:' + itPgPort + '/db_upgrade_empty (PostgreSQL ' + it.serverMajor() + '.')
assert log.contains('''[INFO] Applying 1 - create users (1/3)
[INFO] Applying 2 - create sites (2/3)
[INFO] Applying 3 - add site timezone (3/3)
[INFO] Database at revision 3''')
// Flyway's own lines are debug detail, and java.util.logging must not print its date lines
assert !log.contains('org.flywaydb')
assert !log.contains('did not follow the filename convention')
assert it.appliedRevisions() == ['1', '2', '3']
assert it.tables() == ['flyway_schema_history', 'sites', 'users']
assert it.value('SELECT timezone FROM sites') == 'UTC'
