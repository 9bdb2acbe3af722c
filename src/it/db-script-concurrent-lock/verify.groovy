// A db-upgrade started while a db-script file runs waits for the script's locks, then finds its
// work done. The script runs statement by statement on one session, so the test holds it between
// its locks and its guard for as long as it needs to see db-upgrade wait; no sleep, no timing.
import java.time.Duration
import org.bemserver.testing.Eventually
import org.bemserver.testing.SqlFile

def project = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
assert project.log().contains('[INFO] Wrote target/bemserver/upgrade-base-to-3.sql: upgrade from revision <base> to 3 (3 migrations)')
def statements = SqlFile.statements(new File(basedir, 'target/bemserver/upgrade-base-to-3.sql').toPath())
// the run lock of db-upgrade and db-downgrade, then Flyway's lock of the history table
assert statements[0].sql() ==~ /SELECT pg_advisory_lock\(\d+, -?\d+\)/
assert statements[1].sql() ==~ /SELECT pg_advisory_lock\(\d+\)/

def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path
def uri = "postgresql+psycopg://${itPgUser}:${itPgPasswordUri}@localhost:${itPgPort}/db_script_concurrent_lock".toString()
def upgradeLog = new File(basedir, 'upgrade.log')
def startUpgrade = {
    // offline, on the local repository the build filled; see db-downgrade-race for the tracking file
    def command = [mvn, '-o', '-B', "-Dmaven.repo.local=${localRepositoryPath}",
            '-Daether.enhancedLocalRepository.trackingFilename=lock-tracking', '-f', new File(basedir, 'pom.xml').path,
            "${itPlugin}:db-upgrade"]*.toString()
    def builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(upgradeLog)
    builder.environment().put('SQLALCHEMY_DATABASE_URI', uri)
    builder.start()
}

def owner = project.ownerUri()
def upgrade = null
def connection = SqlFile.connect(owner)
try {
    def session = connection.createStatement()
    session.execute(statements[0].sql())
    session.execute(statements[1].sql())
    def pid = session.executeQuery('SELECT pg_backend_pid()').with { next(); getInt(1) }

    upgrade = startUpgrade()
    // db-upgrade's lock session waits, in pg_locks, for an advisory lock this session holds
    def waiting = """SELECT count(*) FROM pg_locks w
        JOIN pg_locks h ON h.pid = ${pid} AND h.locktype = 'advisory' AND h.granted
         AND h.database = w.database AND h.classid = w.classid AND h.objid = w.objid AND h.objsubid = w.objsubid
        JOIN pg_stat_activity a ON a.pid = w.pid
       WHERE w.locktype = 'advisory' AND NOT w.granted AND a.application_name = 'bemserver-maven-plugin (lock)'
         AND a.wait_event_type = 'Lock' AND a.wait_event = 'advisory'""".toString()
    Eventually.await('db-upgrade waits for the lock of the script', Duration.ofSeconds(90)) {
        assert upgrade.isAlive() : upgradeLog.text
        project.value(waiting) == '1'
    }
    // while it waits, it has changed nothing
    assert upgrade.isAlive()
    assert project.tables() == []

    statements.subList(2, statements.size()).each { statement -> session.execute(statement.sql()) }
} finally {
    connection.close()
}
assert upgrade.waitFor() == 0 : upgradeLog.text
def log = upgradeLog.text
assert !log.contains(itPgPassword)
assert log.contains('[INFO] Nothing to apply: the database is already at revision 3 (head)')
assert !log.contains('Applying ')
assert project.appliedRevisions() == ['1', '2', '3']
assert project.value('SELECT count(*) FROM flyway_schema_history') == '3'
assert project.tables() == ['flyway_schema_history', 'sites', 'users']
