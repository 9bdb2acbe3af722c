package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.testing.Eventually;
import org.bemserver.testing.SchemaFingerprint;
import org.bemserver.testing.Scripts;
import org.bemserver.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Races, crashes and server faults: the database and its history must always agree, a failure
 * must say what happened, and the next run must complete.
 */
class ReliabilityTest {

    private static final String LOCATION = "src/main/resources/db/migration";
    /** An advisory lock a script waits on, so the test can catch it mid-run. */
    private static final long GATE = 424242;

    private final TestServer server = TestServer.shared();

    @TempDir
    Path project;

    private Scripts scripts;
    private DatabaseUri uri;

    @BeforeEach
    void freshDatabase(TestInfo test) {
        scripts = new Scripts(project.resolve(LOCATION));
        uri = server.createDatabase(test.getTestMethod().orElseThrow().getName());
    }

    private Migrations migrations(Database database, Locking locking) {
        MigrationSettings settings =
                new MigrationSettings(project, List.of(LOCATION), List.of("public"), "flyway_schema_history", Map.of());
        return new Migrations(database.dataSource(), settings, Reporter.silent(), locking);
    }

    private <T> T run(Locking locking, Function<Migrations, T> work) {
        try (Database database = Database.open(uri, "test", Duration.ofSeconds(10))) {
            return work.apply(migrations(database, locking));
        }
    }

    private List<String> history() {
        return server.column(
                uri.database(), "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank");
    }

    private Scripts tenRevisions() {
        for (int i = 1; i <= 10; i++) {
            scripts.write(
                            "V" + i + "__table_" + i + ".sql",
                            "CREATE TABLE t" + i + " (id int PRIMARY KEY);\n"
                                    + (i > 1
                                            ? "ALTER TABLE t" + i + " ADD COLUMN prev int REFERENCES t" + (i - 1)
                                                    + " (id);\n"
                                            : ""))
                    .write("U" + i + "__table_" + i + ".sql", "DROP TABLE t" + i + ";\n");
        }
        return scripts;
    }

    /** The schema of a new database on which exactly these revisions ran, in order. */
    private List<String> schemaWith(List<String> revisions) {
        DatabaseUri clean = server.createDatabase("clean");
        for (String revision : revisions) {
            server.execute(
                    clean.database(),
                    "SET ROLE " + TestServer.OWNER + "; CREATE TABLE t" + revision
                            + " (id int PRIMARY KEY);"
                            + (revision.equals("1")
                                    ? ""
                                    : "ALTER TABLE t" + revision + " ADD COLUMN prev int REFERENCES t"
                                            + (Integer.parseInt(revision) - 1) + " (id);"));
        }
        return SchemaFingerprint.of(server, clean.database(), "public");
    }

    @Test
    void eightConcurrentUpgradesApplyEveryRevisionExactlyOnce() throws Exception {
        tenRevisions();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 10; round++) {
                uri = server.createDatabase("eight_" + round);
                List<Future<UpgradeResult>> runs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    runs.add(pool.submit(() -> run(Locking.DEFAULT, m -> m.upgrade(null, false))));
                }
                int applied = 0;
                for (Future<UpgradeResult> result : runs) {
                    applied += result.get().applied().size();
                }
                assertThat(applied)
                        .as("round %d: migrations applied across the 8 runs", round)
                        .isEqualTo(10);
                assertThat(history()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
                assertThat(server.value(uri.database(), "SELECT count(*) FROM flyway_schema_history"))
                        .isEqualTo("10");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStormOfUpgradesAndDowngradesLeavesAHistoryThatMatchesTheSchema() throws Exception {
        tenRevisions();
        Random random = new Random(20261125);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> operations = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String target = String.valueOf(1 + random.nextInt(10));
                boolean up = random.nextBoolean();
                operations.add(pool.submit((Callable<Void>) () -> {
                    try {
                        run(Locking.DEFAULT, m -> up ? m.upgrade(target, false) : m.downgrade(target, false));
                    } catch (ConfigurationException e) {
                        // a target another run already passed: refused, nothing changed
                        assertThat(e.getMessage()).containsAnyOf("above the target", "Cannot undo");
                    }
                    return null;
                }));
            }
            for (Future<?> operation : operations) {
                operation.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(SchemaFingerprint.of(server, uri.database(), "public")).isEqualTo(schemaWith(history()));
    }

    @Test
    void aRunWaitsForTheMigrationLockThenNamesTheSessionThatHoldsIt() throws Exception {
        scripts.threeRevisions();
        run(Locking.DEFAULT, m -> m.upgrade("1", false));
        Locking impatient = new Locking(Duration.ofSeconds(1), null);
        try (Connection holder = superuser("lock holder")) {
            int runLockKey = "\"public\".\"flyway_schema_history\"".hashCode();
            holder.createStatement().execute("SELECT pg_advisory_lock(" + 0x62656d73 + ", " + runLockKey + ")");
            int pid = pid(holder);

            for (Callable<?> goal : List.<Callable<?>>of(
                    () -> run(impatient, m -> m.upgrade(null, false)),
                    () -> run(impatient, m -> m.downgrade("base", false)))) {
                assertThatThrownBy(goal::call)
                        .isInstanceOf(EnvironmentException.class)
                        .hasMessageStartingWith("Gave up after 1 s waiting for the migration lock on "
                                + "public.flyway_schema_history: it is held by session " + pid
                                + " (application_name 'lock holder', last query started ")
                        .hasMessageEndingWith(
                                "; nothing was changed: try again when it has finished (bemserver.lockWait "
                                        + "sets how long to wait)");
            }
        }
        assertThat(history()).containsExactly("1");
        run(Locking.DEFAULT, m -> m.upgrade(null, false));
        assertThat(history()).containsExactly("1", "2", "3");
    }

    @Test
    void flywaysOwnLockHeldElsewhereStopsADowngradeWithTheHoldersName() throws Exception {
        scripts.threeRevisions();
        run(Locking.DEFAULT, m -> m.upgrade(null, false));
        try (Connection holder = superuser("flyway elsewhere")) {
            holder.createStatement()
                    .execute("SELECT pg_advisory_lock(" + new HistoryTable("public", "flyway_schema_history").lockKey()
                            + ")");
            assertThatThrownBy(() -> run(new Locking(Duration.ofSeconds(1), null), m -> m.downgrade("-1", false)))
                    .hasMessageContaining(
                            "it is held by session " + pid(holder) + " (application_name 'flyway elsewhere'");
        }
        assertThat(history()).containsExactly("1", "2", "3");
    }

    @Test
    void lockTimeoutStopsAStatementQueuedBehindALongQuery() throws Exception {
        scripts.threeRevisions()
                .write("V4__add_site_area.sql", "ALTER TABLE sites ADD COLUMN area double precision;\n");
        run(Locking.DEFAULT, m -> m.upgrade("3", false));
        try (Connection reader = superuser("long report")) {
            reader.setAutoCommit(false);
            reader.createStatement().executeQuery("SELECT count(*) FROM sites").close();

            assertThatThrownBy(() -> run(new Locking(Duration.ofSeconds(120), "1s"), m -> m.upgrade(null, false)))
                    .isInstanceOf(MigrationException.class)
                    .hasMessage(
                            "Migration src/main/resources/db/migration/V4__add_site_area.sql failed at line 1 (SQL state "
                                    + "55P03: canceling statement due to lock timeout); the database stays at revision 3: another "
                                    + "session held a lock the script needed for longer than bemserver.lockTimeout (1s): run the goal "
                                    + "again when it is free, or raise bemserver.lockTimeout");
            reader.rollback();
        }
        assertThat(history()).containsExactly("1", "2", "3");
    }

    @Test
    void aConnectionDroppedMidRunGivesAClearErrorAndTheNextRunCompletes() throws Exception {
        scripts.threeRevisions()
                .write(
                        "V4__wait.sql",
                        "SELECT pg_advisory_lock(" + GATE + ");\n"
                                + "CREATE TABLE buildings (id int);\nSELECT pg_advisory_unlock(" + GATE + ");\n");
        run(Locking.DEFAULT, m -> m.upgrade("3", false));

        assertThat(upgradeFailingWhileAtTheGate(waiting -> "SELECT pg_terminate_backend(" + waiting + ")"))
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "Migration src/main/resources/db/migration/V4__wait.sql failed in lines 1 to 3 (SQL state 57P01: "
                                + "terminating connection due to administrator command); the database stays at revision 3: the "
                                + "connection to the database was lost: run the goal again");
        assertThat(history()).containsExactly("1", "2", "3");
        assertThat(server.tables(uri.database(), "public")).doesNotContain("buildings");
        run(Locking.DEFAULT, m -> m.upgrade(null, false));
        assertThat(history()).containsExactly("1", "2", "3", "4");
    }

    @Test
    void aKilledUpgradeLeavesThePreviousRevisionAndTheNextRunCompletes() throws Exception {
        scripts.threeRevisions()
                .write(
                        "V4__wait.sql",
                        "CREATE TABLE buildings (id int);\nSELECT pg_advisory_lock(" + GATE
                                + ");\nSELECT pg_advisory_unlock(" + GATE + ");\n");
        run(Locking.DEFAULT, m -> m.upgrade("3", false));

        killMidRun("upgrade");

        assertThat(history()).containsExactly("1", "2", "3");
        assertThat(server.tables(uri.database(), "public")).doesNotContain("buildings");
        run(Locking.DEFAULT, m -> m.upgrade(null, false));
        assertThat(history()).containsExactly("1", "2", "3", "4");
    }

    @Test
    void aBuildKilledInARoundTripOfSeveralRevisionsCommitsNoneAfterTheOneItWasIn() throws Exception {
        atRevision3WithThreeToGoTheSecondWaitingAtTheGate();

        // the server runs what it received after the client died: the commits must not follow
        killMidRun("upgrade");

        assertThat(history()).containsExactly("1", "2", "3", "4");
        assertThat(server.tables(uri.database(), "public")).contains("offices").doesNotContain("buildings", "floors");
        run(Locking.DEFAULT, m -> m.upgrade(null, false));
        assertThat(history()).containsExactly("1", "2", "3", "4", "5", "6");
    }

    @Test
    void theLockSessionEndingMidRoundTripStopsTheRunEvenWhenAnotherRunTookTheLock() throws Exception {
        atRevision3WithThreeToGoTheSecondWaitingAtTheGate();
        // the run's lock is gone with its session, and another run waiting for it has it: the
        // first must commit nothing more
        assertThat(upgradeFailingWhileAtTheGate(waiting -> "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE application_name = 'bemserver-maven-plugin (lock)'; SELECT pg_advisory_lock("
                        + MigrationLock.runLockKey(new HistoryTable("public", "flyway_schema_history")) + ")"))
                .isInstanceOf(EnvironmentException.class)
                .hasMessage("The migration lock was released during the run (the connection holding it was "
                        + "closed or terminated); the revision in progress was rolled back and the database stays "
                        + "at revision 4: run db-upgrade again");
        assertThat(history()).containsExactly("1", "2", "3", "4");
        assertThat(server.tables(uri.database(), "public")).doesNotContain("buildings", "floors");
        run(Locking.DEFAULT, m -> m.upgrade(null, false));
        assertThat(history()).containsExactly("1", "2", "3", "4", "5", "6");
    }

    @Test
    void aConnectionDroppedMidRoundTripSaysWhichRevisionsWereInFlightAndTheNextRunCompletes() throws Exception {
        atRevision3WithThreeToGoTheSecondWaitingAtTheGate();
        assertThat(upgradeFailingWhileAtTheGate(waiting -> "SELECT pg_terminate_backend(" + waiting + ")"))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("The connection to the database was lost while applying revisions 4 to 6 "
                        + "(SQL state 57P01: terminating connection due to administrator command)")
                .hasMessageEndingWith("each is committed with its history row or not at all, so the database "
                        + "is at revision 3 or one of these: run db-current to see where it stands, then run "
                        + "db-upgrade again");
        // 4 was committed before 5 began
        assertThat(history()).containsExactly("1", "2", "3", "4");
        assertThat(server.tables(uri.database(), "public")).doesNotContain("buildings", "floors");
        run(Locking.DEFAULT, m -> m.upgrade(null, false));
        assertThat(history()).containsExactly("1", "2", "3", "4", "5", "6");
    }

    @Test
    void aKilledDowngradeChangesNothingAndTheNextRunCompletes() throws Exception {
        scripts.threeRevisions()
                .write(
                        "U1__create_users.sql",
                        "SELECT pg_advisory_lock(" + GATE + ");\nSELECT pg_advisory_unlock(" + GATE
                                + ");\nDROP TABLE users;\n");
        run(Locking.DEFAULT, m -> m.upgrade(null, false));
        List<String> before = SchemaFingerprint.of(server, uri.database(), "public");

        killMidRun("downgrade");

        assertThat(history()).containsExactly("1", "2", "3");
        assertThat(SchemaFingerprint.of(server, uri.database(), "public")).isEqualTo(before);
        run(Locking.DEFAULT, m -> m.downgrade("base", false));
        assertThat(history()).isEmpty();
    }

    @Test
    void aKilledSetupChangesNothingAndTheNextRunCompletes() throws Exception {
        scripts.threeRevisions();
        new Scripts(project.resolve("src/main/resources/db/model"))
                .write(
                        "010-tables.sql",
                        "CREATE TABLE users (id serial PRIMARY KEY, name varchar(80) NOT NULL UNIQUE);\n"
                                + "SELECT pg_advisory_lock(" + GATE + ");\nSELECT pg_advisory_unlock(" + GATE + ");\n"
                                + "CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL, "
                                + "timezone varchar(40) NOT NULL DEFAULT 'UTC');\n");
        run(Locking.DEFAULT, m -> m.upgrade("1", false));
        List<String> before = SchemaFingerprint.of(server, uri.database(), "public");

        killMidRun("setup");

        assertThat(history()).containsExactly("1");
        assertThat(SchemaFingerprint.of(server, uri.database(), "public")).isEqualTo(before);
        try (Database database = Database.open(uri, "test", Duration.ofSeconds(10))) {
            new org.bemserver.schema.model.Setup(
                            migrations(database, Locking.DEFAULT),
                            org.bemserver.schema.model.ModelFiles.list(project, "src/main/resources/db/model"),
                            Reporter.silent())
                    .run(true);
        }
        assertThat(history()).containsExactly("1", "2", "3");
    }

    @Test
    void aUserWithoutThePrivilegeIsToldWhichOneIsMissing() {
        scripts.threeRevisions();
        String role = "weak_" + uri.database();
        server.execute(
                uri.database(),
                "CREATE ROLE " + role + " LOGIN PASSWORD 'W3ak-pw'; REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        uri = uri.withCredentials(role, "W3ak-pw");

        assertThatThrownBy(() -> run(Locking.DEFAULT, m -> m.upgrade(null, false)))
                .isInstanceOf(EnvironmentException.class)
                .hasMessage(
                        "Cannot create the history table public.flyway_schema_history (SQL state 42501: permission denied "
                                + "for schema public); nothing was changed: the database user lacks this privilege: grant it, or run "
                                + "the goal as the owner of the schema");
        assertThat(server.tables(uri.database(), "public")).isEmpty();
    }

    /**
     * The database at revision 3, and revisions 4 to 6 to go, which a run sends in one round trip:
     * 5 creates {@code buildings}, then waits at the gate.
     */
    private void atRevision3WithThreeToGoTheSecondWaitingAtTheGate() {
        scripts.threeRevisions()
                .write("V4__offices.sql", "CREATE TABLE offices (id int);\n")
                .write(
                        "V5__wait.sql",
                        "CREATE TABLE buildings (id int);\nSELECT pg_advisory_lock(" + GATE
                                + ");\nSELECT pg_advisory_unlock(" + GATE + ");\n")
                .write("V6__floors.sql", "CREATE TABLE floors (id int);\n");
        run(Locking.DEFAULT, m -> m.upgrade("3", false));
    }

    /**
     * Runs an upgrade to head until a script of it waits at the gate, runs {@code meanwhile} (SQL,
     * given the waiting session's process id) as a superuser, opens the gate, and returns what the
     * run threw, or {@code null}.
     */
    private Throwable upgradeFailingWhileAtTheGate(IntFunction<String> meanwhile) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection gate = superuser("gate")) {
            gate.createStatement().execute("SELECT pg_advisory_lock(" + GATE + ")");
            Future<UpgradeResult> upgrade = pool.submit(() -> run(Locking.DEFAULT, m -> m.upgrade(null, false)));
            int waiting = awaitWaiter(gate);
            gate.createStatement().execute(meanwhile.apply(waiting));
            gate.createStatement().execute("SELECT pg_advisory_unlock(" + GATE + ")");
            try {
                upgrade.get();
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Starts the goal in a JVM of its own, waits until its script waits at the gate, kills it (SIGKILL). */
    private void killMidRun(String goal) throws Exception {
        try (Connection gate = superuser("gate")) {
            gate.createStatement().execute("SELECT pg_advisory_lock(" + GATE + ")");
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            org.bemserver.testing.GoalProcess.class.getName(),
                            goal,
                            project.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(new File(project.toFile(), goal + ".log"));
            builder.environment().put("GOAL_DATABASE_URI", uri.toString().replace(":***@", ":" + uri.password() + "@"));
            Process process = builder.start();
            int waiter;
            try {
                waiter = awaitWaiter(gate);
            } finally {
                process.destroyForcibly();
                process.waitFor();
            }
            // the run's other sessions, idle, end as soon as their client is gone; a backend blocked
            // in a lock wait notices it only when the wait ends: it goes on once they are gone, as
            // the scripts after a kill run on while the client's death reaches the server (the
            // gate, opened at once, let the waiter check for the lock session before it had ended)
            Eventually.await(
                    "the killed run's idle sessions to end",
                    Duration.ofSeconds(30),
                    () -> server.value(
                                    uri.database(),
                                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                                            + "application_name LIKE 'bemserver-maven-plugin%' AND pid <> " + waiter)
                            .equals("0"));
            gate.createStatement().execute("SELECT pg_advisory_unlock(" + GATE + ")");
            Eventually.await(
                    "the killed run's sessions to end",
                    Duration.ofSeconds(30),
                    () -> server.value(
                                    uri.database(),
                                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'bemserver-maven-plugin%'")
                            .equals("0"));
        }
    }

    /** The pid of the session waiting for the gate. */
    private int awaitWaiter(Connection gate) {
        String waiter = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = " + GATE;
        Eventually.await(
                "a script waiting at the gate",
                Duration.ofSeconds(60),
                () -> !server.column("postgres", waiter).isEmpty());
        return Integer.parseInt(server.column("postgres", waiter).get(0));
    }

    private Connection superuser(String applicationName) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(uri.withDatabase(uri.database()).jdbcUrl(), properties);
    }

    private static int pid(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
                var result = statement.executeQuery("SELECT pg_backend_pid()")) {
            result.next();
            return result.getInt(1);
        }
    }
}
