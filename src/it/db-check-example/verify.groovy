def it = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
def log = it.log()
// the throwaway databases run the major of the server SQLALCHEMY_DATABASE_URI names: like with like
// (17 on the embedded IT server, 15 on the Debian server of .ci/its-matrix)
def major = it.serverMajor()
def throwaway = new File(basedir, 'target/bemserver/throwaway-' + major)
assert log.contains('[INFO] Throwaway databases run PostgreSQL ' + major + ', the major of the server SQLALCHEMY_DATABASE_URI names')
assert !log.contains('[WARNING] Throwaway databases run')
assert log.contains('[INFO] Throwaway databases: embedded PostgreSQL in ' + throwaway.canonicalPath + ' (PostgreSQL ' + major + '.')
assert log.contains('[INFO] Upgraded a throwaway database from empty to head (7 revisions)')
assert log.contains('[INFO] Set up a throwaway database from the model (4 files)')
assert log.contains('[INFO] Stairway 1 - create users and groups (1/7): the undo reverts it')
assert log.contains('[INFO] Stairway 7 - create events (7/7): the undo reverts it')
assert log.contains('[INFO] Check passed: the migrations and the model build the same schema and reference rows, and every '
        + 'undo script reverts its revision (report: target/bemserver/check-report.txt)')
// the second run: the non-superuser IT role, which may create databases, and nothing more
// its URI came from BEMSERVER_DEV_URI: Maven's -X dump of the parameters shows the variable's name only
assert log.contains('[DEBUG]   (f) devUriEnv = BEMSERVER_DEV_URI')
assert !log.contains(itPgPassword)
assert !log.contains(itPgPasswordUri)
assert log.contains('[INFO] Throwaway databases: postgresql+psycopg://' + itPgUser + ':***@localhost:' + itPgPort + '/postgres')
assert log.contains('[INFO] Check passed: the migrations and the model build the same schema and reference rows '
        + '(report: target/bemserver/check-report.txt)')
assert new File(basedir, 'target/bemserver/check-report.txt').readLines()[0] == 'Migrations (7 revisions) against the model'
// the last run had no stairway: its JUnit XML holds the one case of the model
assert it.junitReport('target/bemserver/check-report.xml').outcomes() == ['migrations against the model': 'passed']
// every throwaway database was dropped, and the embedded server stopped
assert it.noThrowawayLeft()
assert !new File(throwaway, 'postmaster.pid').exists()
