// The script and db-upgrade never interleave, seen from both sides, with no sleep and no timing:
// 1. a session holding Flyway's lock of the history table (as Flyway or db-upgrade would) makes
//    the script wait for it, in pg_locks, with nothing changed; released, the script completes;
// 2. a real db-upgrade, in a Maven process of its own, started while the script holds its locks
//    waits for them, then finds the script's work done. The script runs statement by statement
//    on one session here, so the test holds it between its locks and its guard while it looks.
import java.time.Duration
import org.bemserver.testing.Eventually
import org.bemserver.testing.SqlFile

def project = org.bemserver.testing.ItProject.of(basedir, itPgPort, itPgUser, itPgPassword)
assert project.log().contains('[INFO] Wrote target/bemserver/upgrade-base-to-3.sql: upgrade from revision <base> to 3 (3 migrations)')
def file = new File(basedir, 'target/bemserver/upgrade-base-to-3.sql')
def statements = SqlFile.statements(file.toPath())
// the run lock of db-upgrade and db-downgrade, then Flyway's lock of the history table
assert statements[0].sql() ==~ /SELECT pg_advisory_lock\(\d+, -?\d+\)/
assert statements[1].sql() ==~ /SELECT pg_advisory_lock\(-?\d+\)/
def owner = project.ownerUri()
def pidOf = { session -> session.executeQuery('SELECT pg_backend_pid()').with { next(); getInt(1) } }
// how many sessions wait, in pg_locks, for an advisory lock that session `pid` holds
def waitingFor = { int pid, String also -> """SELECT count(*) FROM pg_locks w
        JOIN pg_locks h ON h.pid = ${pid} AND h.locktype = 'advisory' AND h.granted
         AND h.database = w.database AND h.classid = w.classid AND h.objid = w.objid AND h.objsubid = w.objsubid
        JOIN pg_stat_activity a ON a.pid = w.pid
       WHERE w.locktype = 'advisory' AND NOT w.granted AND a.wait_event_type = 'Lock' AND a.wait_event = 'advisory'
         ${also}""".toString() }

// 1. the script waits for Flyway's lock
def run = null
def connection = SqlFile.connect(owner)
try {
    def session = connection.createStatement()
    session.execute(statements[1].sql())
    def script = Thread.start { run = project.runSqlFile(file) }
    Eventually.await('the script waits for Flyway\'s lock', Duration.ofSeconds(60)) {
        assert script.isAlive() : run
        project.value(waitingFor(pidOf(session), '')) == '1'
    }
    assert script.isAlive()
    assert project.tables() == []
    session.execute(statements[1].sql().replace('pg_advisory_lock', 'pg_advisory_unlock'))
    script.join()
} finally {
    connection.close()
}
assert run.exitCode() == 0 : run.output()
assert project.appliedRevisions() == ['1', '2', '3']

// 2. db-upgrade waits for the script's locks
project.prepare(new File(itFixtures), null)
assert project.tables() == []
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
def upgrade = null
connection = SqlFile.connect(owner)
try {
    def session = connection.createStatement()
    session.execute(statements[0].sql())
    session.execute(statements[1].sql())
    upgrade = startUpgrade()
    Eventually.await('db-upgrade waits for the locks of the script', Duration.ofSeconds(90)) {
        assert upgrade.isAlive() : upgradeLog.text
        project.value(waitingFor(pidOf(session), "AND a.application_name = 'bemserver-maven-plugin (lock)'")) == '1'
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
