package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.SchemaFingerprint;
import org.bemserver.testing.Scripts;
import org.bemserver.testing.TestServer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DowngradeTest extends EngineTest {

    private static final String LOCATION = "src/main/resources/db/migration";

    private Scripts scripts;

    @BeforeEach
    void migrationDirectory() {
        scripts = new Scripts(project.resolve(LOCATION));
    }

    private Migrations migrations() {
        return migrations(false, Map.of());
    }

    private Migrations migrations(boolean mixed, Map<String, String> placeholders) {
        return new Migrations(database.dataSource(), settings(mixed, placeholders), reporter);
    }

    private MigrationSettings settings(boolean mixed, Map<String, String> placeholders) {
        return new MigrationSettings(
                project, List.of(LOCATION), List.of("public"), "flyway_schema_history", placeholders, mixed);
    }

    private List<String> schema() {
        return SchemaFingerprint.of(server, uri.database(), "public");
    }

    private List<String> history() {
        return server.column(uri.database(), "SELECT version FROM flyway_schema_history ORDER BY installed_rank");
    }

    /** The schema of a new database on which exactly the given revisions' scripts ran, in order. */
    private List<String> cleanSchemaWith(List<String> revisions) {
        DatabaseUri clean = server.createDatabase("clean");
        for (String revision : revisions) {
            try (var files = java.nio.file.Files.list(scripts.directory())) {
                Path script = files.filter(f -> f.getFileName().toString().startsWith("V" + revision + "__"))
                        .findFirst()
                        .orElseThrow();
                server.execute(clean.database(), java.nio.file.Files.readString(script));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return SchemaFingerprint.of(server, clean.database(), "public");
    }

    /** The schema of a database upgraded from empty to {@code revision} with the same scripts. */
    private List<String> cleanSchemaAt(String revision) {
        DatabaseUri clean = server.createDatabase("clean");
        try (Database other = Database.open(clean, "test", Duration.ofSeconds(10))) {
            if (revision != null) {
                new Migrations(other.dataSource(), settings(false, Map.of()), Reporter.silent())
                        .upgrade(revision, false);
            }
        }
        return SchemaFingerprint.of(server, clean.database(), "public");
    }

    @Test
    void oneStepDownUndoesTheNewestRevision() {
        scripts.threeRevisions();
        migrations().upgrade(null, false);
        reporter.infos.clear();

        DowngradeResult result = migrations().downgrade("-1", false);

        assertThat(reporter.infos).containsExactly("Reverting 3 - add site timezone (1/1)");
        assertThat(result.from()).isEqualTo("3");
        assertThat(result.to()).isEqualTo("2");
        assertThat(history()).containsExactly("1", "2");
        assertThat(schema()).isEqualTo(cleanSchemaAt("2"));
    }

    @Test
    void downToARevisionUndoesEveryRevisionAboveItNewestFirst() {
        scripts.threeRevisions();
        migrations().upgrade(null, false);
        reporter.infos.clear();

        DowngradeResult result = migrations().downgrade("1", false);

        assertThat(reporter.infos)
                .containsExactly("Reverting 3 - add site timezone (1/2)", "Reverting 2 - create sites (2/2)");
        assertThat(result.to()).isEqualTo("1");
        assertThat(history()).containsExactly("1");
        assertThat(server.tables(uri.database(), "public")).containsExactly("flyway_schema_history", "users");
    }

    @Test
    void downToBaseUndoesEverythingAndUpgradeRebuildsTheSameSchema() {
        scripts.threeRevisions();
        migrations().upgrade(null, false);
        List<String> atHead = schema();

        DowngradeResult result = migrations().downgrade("base", false);

        assertThat(result.to()).isNull();
        assertThat(history()).isEmpty();
        assertThat(server.tables(uri.database(), "public")).containsExactly("flyway_schema_history");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: <base> (3 pending: 1, 2, 3)");

        migrations().upgrade(null, false);
        assertThat(schema()).isEqualTo(atHead);
    }

    @Test
    void flywaySeesUndoneRevisionsAsPendingAndValidates() {
        scripts.threeRevisions();
        migrations().upgrade(null, false);
        migrations().downgrade("-2", false);

        Flyway flyway = Flyway.configure()
                .dataSource(uri.jdbcUrl(), uri.user(), uri.password())
                .locations("filesystem:" + scripts.directory())
                .loggers(FlywayLogBridge.class.getName())
                // Flyway's validate fails on any pending migration unless told they are expected
                .ignoreMigrationPatterns("*:pending")
                .load();
        MigrationInfoService info = flyway.info();

        assertThat(info.current().getVersion().getVersion()).isEqualTo("1");
        assertThat(info.pending()).extracting(m -> m.getVersion().getVersion()).containsExactly("2", "3");
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();
        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);
    }

    @Test
    void theRevisionIsRequiredAndItsFormsAreExplained() {
        scripts.threeRevisions();

        assertThatThrownBy(() -> migrations().downgrade(null, false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "db-downgrade needs -Dbemserver.revision: give a revision (e.g. 3 or 2026.11.25.1), a number of "
                                + "revisions to undo (-1, -2, ...) or base (undo everything)");
        for (String malformed : List.of("abc", "-0", "--1", "1..2", "+1", "-1.5")) {
            assertThatThrownBy(() -> migrations().downgrade(malformed, false))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith(
                            "bemserver.revision '" + malformed + "' is not a revision, a number of steps or base");
        }
    }

    @Test
    void anUnknownTargetNamesTheRevisionsAndChangesNothing() {
        scripts.threeRevisions();
        migrations().upgrade(null, false);

        assertThatThrownBy(() -> migrations().downgrade("9", false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "Unknown revision 9 (bemserver.revision): this project's revisions are 1, 2, 3, or base, or -1, -2, ...");
        assertThatThrownBy(() -> migrations().downgrade("-4", false))
                .hasMessage("Cannot undo 4 revisions: only 3 are applied (bemserver.revision=base undoes them all)");
        assertThat(history()).containsExactly("1", "2", "3");
    }

    @Test
    void atOrBelowTheTargetSaysSoAndChangesNothing() {
        scripts.threeRevisions();
        migrations().upgrade("1", false);
        List<String> before = schema();

        DowngradeResult result = migrations().downgrade("2", false);

        assertThat(result.reverted()).isEmpty();
        assertThat(reporter.infos)
                .last()
                .isEqualTo("Nothing to undo: the database is at revision 1, at or below the target");
        assertThat(schema()).isEqualTo(before);
        assertThat(history()).containsExactly("1");
    }

    @Test
    void everyProblemOfThePlanIsListedBeforeAnythingRuns() {
        scripts.threeRevisions().write("V4__add_buildings.sql", "CREATE TABLE buildings (id int);\n");
        migrations().upgrade(null, false);
        scripts.write("V1__create_users.sql", "CREATE TABLE users (id bigint);\n");
        java.nio.file.Path undo2 = scripts.directory().resolve("U2__create_sites.sql");
        undo2.toFile().delete();
        List<String> before = schema();

        assertThatThrownBy(() -> migrations().downgrade("base", false))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith(
                        "Cannot downgrade, nothing was changed; 3 problems: V1__create_users.sql was changed after "
                                + "it was applied")
                .hasMessageContaining(
                        "; revision 4 has no undo script: write U4__add_buildings.sql beside V4__add_buildings.sql")
                .hasMessageEndingWith(
                        "; revision 2 has no undo script: write U2__create_sites.sql beside V2__create_sites.sql");
        assertThat(schema()).isEqualTo(before);
        assertThat(history()).containsExactly("1", "2", "3", "4");
    }

    @Test
    void aFailingUndoScriptChangesNothingAndNamesFileLineAndSqlState() {
        scripts.threeRevisions()
                .write("U2__create_sites.sql", "DELETE FROM sites;\nDROP TABLE no_such_table;\nDROP TABLE sites;\n");
        migrations().upgrade(null, false);
        List<String> before = schema();

        assertThatThrownBy(() -> migrations().downgrade("base", false))
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "Undo script src/main/resources/db/migration/U2__create_sites.sql failed at line 2 (SQL state 42P01: "
                                + "table \"no_such_table\" does not exist); nothing was changed: the database stays at revision 3");
        assertThat(reporter.infos)
                .contains("Reverting 3 - add site timezone (1/3)", "Reverting 2 - create sites (2/3)");
        assertThat(schema()).isEqualTo(before);
        assertThat(history()).containsExactly("1", "2", "3");
        assertThat(server.value(uri.database(), "SELECT count(*) FROM sites")).isEqualTo("1");
    }

    @Test
    void undoScriptsRunTogetherPrintEveryLineAndAFailureAmongThemPrintsTheLinesUpToItsScript() {
        scripts.threeRevisions();
        migrations().upgrade(null, false);
        reporter.infos.clear();
        migrations().downgrade("base", false);
        assertThat(reporter.infos)
                .containsExactly(
                        "Reverting 3 - add site timezone (1/3)",
                        "Reverting 2 - create sites (2/3)",
                        "Reverting 1 - create users (3/3)");
        assertThat(history()).isEmpty();

        migrations().upgrade(null, false);
        scripts.write("U2__create_sites.sql", "DROP TABLE no_such_table;\n");
        List<String> before = schema();
        reporter.infos.clear();

        assertThatThrownBy(() -> migrations().downgrade("base", false))
                .hasMessage(
                        "Undo script src/main/resources/db/migration/U2__create_sites.sql failed at line 1 (SQL state 42P01: "
                                + "table \"no_such_table\" does not exist); nothing was changed: the database stays at revision 3");
        assertThat(reporter.infos)
                .containsExactly("Reverting 3 - add site timezone (1/3)", "Reverting 2 - create sites (2/3)");
        assertThat(schema()).isEqualTo(before);
        assertThat(history()).containsExactly("1", "2", "3");
    }

    @Test
    void anUndoScriptThatChangesTheSessionRunsAloneAndTheNextScriptsFindTheirNames() {
        scripts.threeRevisions()
                .write("V4__create_buildings.sql", "CREATE TABLE buildings (id int);\n")
                .write("U4__create_buildings.sql", "DROP TABLE buildings;\n")
                .write(
                        "U3__add_site_timezone.sql",
                        "SET search_path = pg_catalog;\nALTER TABLE public.sites DROP COLUMN timezone;\n");
        migrations().upgrade(null, false);
        reporter.infos.clear();

        migrations().downgrade("base", false);

        assertThat(reporter.infos)
                .containsExactly(
                        "Reverting 4 - create buildings (1/4)",
                        "Reverting 3 - add site timezone (2/4)",
                        "Reverting 2 - create sites (3/4)",
                        "Reverting 1 - create users (4/4)");
        assertThat(history()).isEmpty();
        assertThat(server.tables(uri.database(), "public")).containsExactly("flyway_schema_history");
    }

    @Test
    void placeholdersWorkInUndoScripts() {
        scripts.write("V1__create_zone_table.sql", "CREATE TABLE ${table_name} (id int);\n")
                .write("U1__create_zone_table.sql", "DROP TABLE ${flyway:defaultSchema}.${table_name};\n");
        Map<String, String> placeholders = Map.of("table_name", "zones");
        migrations(false, placeholders).upgrade(null, false);

        migrations(false, placeholders).downgrade("base", false);

        assertThat(server.tables(uri.database(), "public")).containsExactly("flyway_schema_history");
    }

    @Test
    void placeholderNamesAreCaseInsensitiveAsFlywaysAre() {
        // Flyway runs the migration with ${Table_Name} and ${FLYWAY:DEFAULTSCHEMA}: the undo must too
        scripts.write("V1__create_zone_table.sql", "CREATE TABLE ${Table_Name} (id int);\n")
                .write("U1__create_zone_table.sql", "DROP TABLE ${FLYWAY:DEFAULTSCHEMA}.${TABLE_NAME};\n");
        Map<String, String> placeholders = Map.of("table_name", "zones");
        migrations(false, placeholders).upgrade(null, false);
        assertThat(server.tables(uri.database(), "public")).contains("zones");

        migrations(false, placeholders).downgrade("base", false);

        assertThat(server.tables(uri.database(), "public")).containsExactly("flyway_schema_history");
    }

    @Test
    void flywaysUserAndDatabasePlaceholdersAreReadFromTheSessionWhenAnUndoScriptUsesThem() {
        scripts.write("V1__create_log.sql", "CREATE TABLE log (who text, db text);\n")
                .write("U1__create_log.sql", "DROP TABLE log;\n")
                .write("V2__create_zones.sql", "CREATE TABLE zones (id int);\n")
                .write(
                        "U2__create_zones.sql",
                        "INSERT INTO log VALUES ('${flyway:user}', '${flyway:database}');\nDROP TABLE zones;\n");
        migrations().upgrade(null, false);

        migrations().downgrade("-1", false);

        assertThat(server.column(uri.database(), "SELECT who || ' ' || (db = current_database()) FROM log"))
                .containsExactly(uri.user() + " true");
    }

    @Test
    void aMissingPlaceholderIsAProblemOfThePlan() {
        scripts.write("V1__t.sql", "CREATE TABLE t (id int);\n").write("U1__t.sql", "DROP TABLE ${nope};\n");
        migrations().upgrade(null, false);

        assertThatThrownBy(() -> migrations().downgrade("base", false))
                .hasMessage(
                        "Cannot downgrade, nothing was changed: U1__t.sql uses the placeholder ${nope} with no value: set it "
                                + "with <placeholders> or -Dbemserver.placeholders.nope=...");
    }

    @Test
    void statementsThatCannotRunInATransactionNeedMixed() {
        scripts.write("V1__t.sql", "CREATE TABLE t (id int);\n")
                .write("U1__t.sql", "DROP TABLE t;\n")
                .write("V2__index.sql", "CREATE INDEX ix_t_id ON t (id);\n")
                .write("U2__index.sql", "-- no lock on a busy table\nDROP INDEX CONCURRENTLY ix_t_id;\n");
        migrations().upgrade(null, false);

        assertThatThrownBy(() -> migrations().downgrade("-1", false))
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "Cannot downgrade, nothing was changed: U2__index.sql line 2 (DROP INDEX CONCURRENTLY ix_t_id) cannot "
                                + "run in a transaction: rewrite it, or give each undo script its own transaction with "
                                + "-Dbemserver.mixed=true");
        assertThat(history()).containsExactly("1", "2");

        migrations(true, Map.of()).downgrade("base", false);

        assertThat(history()).isEmpty();
        assertThat(server.tables(uri.database(), "public")).containsExactly("flyway_schema_history");
    }

    @Test
    void transactionControlInAnUndoScriptIsRefusedEvenWithMixed() {
        scripts.threeRevisions()
                .write("U3__add_site_timezone.sql", "ALTER TABLE sites DROP COLUMN timezone;\nCOMMIT;\n");
        migrations().upgrade(null, false);

        assertThatThrownBy(() -> migrations(true, Map.of()).downgrade("-1", false))
                .hasMessage(
                        "Cannot downgrade, nothing was changed: U3__add_site_timezone.sql line 2 (COMMIT): it ends or "
                                + "starts a transaction itself: remove it, the plugin manages the transaction");
        assertThat(history()).containsExactly("1", "2", "3");
    }

    @Test
    void rowsThatFlywayRepairMarkedDeletedAreNotUndone() {
        scripts.threeRevisions();
        migrations().upgrade(null, false);
        // what flyway repair writes after V3 was removed from the project
        scripts.directory().resolve("V3__add_site_timezone.sql").toFile().delete();
        server.execute(
                uri.database(),
                "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                        + "checksum, installed_by, execution_time, success) VALUES (4, '3', 'add site timezone', 'DELETE', "
                        + "'V3__add_site_timezone.sql', NULL, 'repair', 0, true)");

        DowngradeResult result = migrations().downgrade("-1", false);

        assertThat(result.reverted()).extracting(Revision::id).containsExactly("2");
        assertThat(result.to()).isEqualTo("1");
    }

    @Test
    void withMixedAFailureKeepsTheRevisionsAboveItUndone() {
        scripts.threeRevisions().write("U2__create_sites.sql", "DROP TABLE no_such_table;\n");
        migrations().upgrade(null, false);

        assertThatThrownBy(() -> migrations(true, Map.of()).downgrade("base", false))
                .hasMessage(
                        "Undo script src/main/resources/db/migration/U2__create_sites.sql failed at line 1 (SQL state 42P01: "
                                + "table \"no_such_table\" does not exist); revision 2 was not undone: the database is at revision 2 "
                                + "(the revisions above it were undone, each in its own transaction)");
        assertThat(history()).containsExactly("1", "2");
        assertThat(schema()).isEqualTo(cleanSchemaAt("2"));
    }

    @Test
    void aDryRunPrintsThePlanAndTheSqlAndChangesNothing() {
        scripts.threeRevisions()
                .write(
                        "U3__add_site_timezone.sql",
                        "ALTER TABLE ${flyway:defaultSchema}.sites DROP COLUMN timezone;\n");
        migrations().upgrade(null, false);
        List<String> before = schema();
        reporter.infos.clear();

        DowngradeResult result = migrations().downgrade("1", true);

        assertThat(reporter.infos)
                .containsExactly(
                        "Would revert 3 - add site timezone (1/2) with src/main/resources/db/migration/U3__add_site_timezone.sql",
                        "Would revert 2 - create sites (2/2) with src/main/resources/db/migration/U2__create_sites.sql");
        assertThat(result.dryRunSql())
                .startsWith("SELECT set_config('search_path', '\"public\",' || "
                        + "current_setting('search_path'), false);\nBEGIN;\nSELECT pg_advisory_xact_lock(")
                .contains("-- Reverting 3 - add site timezone (1/2): U3__add_site_timezone.sql\n"
                        + "ALTER TABLE public.sites DROP COLUMN timezone;\n")
                .contains("-- Reverting 2 - create sites (2/2): U2__create_sites.sql\nDROP TABLE sites;\n")
                .endsWith(
                        "DELETE FROM \"public\".\"flyway_schema_history\" WHERE installed_rank IN (3, 2);\nCOMMIT;\n");
        assertThat(result.to()).isEqualTo("1");
        assertThat(schema()).isEqualTo(before);
        assertThat(history()).containsExactly("1", "2", "3");

        // the printed SQL is runnable as is and does what the downgrade would do
        server.execute(uri.database(), result.dryRunSql());
        assertThat(history()).containsExactly("1");
        assertThat(schema()).isEqualTo(cleanSchemaAt("1"));
    }

    @Test
    void anUpgradeDryRunPrintsThePendingScriptsAndChangesNothing() {
        scripts.threeRevisions()
                .write(
                        "V3__add_site_timezone.sql",
                        "ALTER TABLE sites ADD COLUMN timezone varchar(40) NOT NULL DEFAULT '${zone}';\n");
        migrations(false, Map.of("zone", "UTC")).upgrade("1", false);
        reporter.infos.clear();

        UpgradeResult result = migrations(false, Map.of("zone", "UTC")).upgrade(null, true);

        assertThat(reporter.infos)
                .containsExactly(
                        "Would apply 2 - create sites (1/2) from src/main/resources/db/migration/V2__create_sites.sql",
                        "Would apply 3 - add site timezone (2/2) from src/main/resources/db/migration/V3__add_site_timezone.sql");
        assertThat(result.to()).isEqualTo("3");
        assertThat(result.dryRunSql())
                .contains("-- Applying 3 - add site timezone (2/2): V3__add_site_timezone.sql\nBEGIN;\n"
                        + "ALTER TABLE sites ADD COLUMN timezone varchar(40) NOT NULL DEFAULT 'UTC';\n"
                        + "-- Flyway records revision 3 in public.flyway_schema_history\nCOMMIT;\n");
        assertThat(history()).containsExactly("1");
    }

    @Test
    void runningOutOfLocksChangesNothingAndSaysWhatToDo() {
        try (TestServer small = TestServer.dedicated(
                "small-locks",
                Map.of(
                        "max_locks_per_transaction", "10",
                        "max_connections", "10",
                        "max_worker_processes", "0",
                        "max_wal_senders", "0",
                        "autovacuum_max_workers", "1"))) {
            DatabaseUri smallUri = small.createDatabase("locks");
            for (int revision = 1; revision <= 40; revision++) {
                StringBuilder create = new StringBuilder();
                StringBuilder drop = new StringBuilder();
                for (int table = 0; table < 25; table++) {
                    String name = "t_" + revision + "_" + table;
                    create.append("CREATE TABLE ").append(name).append(" (id int PRIMARY KEY);\n");
                    drop.append("DROP TABLE ").append(name).append(";\n");
                }
                scripts.write("V" + revision + "__tables.sql", create.toString())
                        .write("U" + revision + "__tables.sql", drop.toString());
            }
            try (Database smallDatabase = Database.open(smallUri, "test", Duration.ofSeconds(10))) {
                Migrations migrations = new Migrations(smallDatabase.dataSource(), settings(false, Map.of()), reporter);
                migrations.upgrade(null, false);

                assertThatThrownBy(() -> migrations.downgrade("base", false))
                        .isInstanceOf(MigrationException.class)
                        .hasMessageStartingWith(
                                "Undoing 40 revisions in one transaction needs more locks than the server's "
                                        + "lock table holds (out of shared memory at src/main/resources/db/migration/U")
                        .hasMessageEndingWith(", max_locks_per_transaction = 10); nothing was changed: raise "
                                + "max_locks_per_transaction on the server, undo fewer revisions per run (e.g. "
                                + "-Dbemserver.revision=-1), or give each undo script its own transaction with "
                                + "-Dbemserver.mixed=true");
                assertThat(small.value(smallUri.database(), "SELECT count(*) FROM flyway_schema_history"))
                        .isEqualTo("40");
                assertThat(small.tables(smallUri.database(), "public")).hasSize(1001);

                new Migrations(smallDatabase.dataSource(), settings(true, Map.of()), reporter).downgrade("base", false);
                assertThat(small.tables(smallUri.database(), "public")).containsExactly("flyway_schema_history");
            }
        }
    }

    @Test
    void racingUpgradesAndDowngradesLeaveAHistoryThatMatchesTheSchema() throws Exception {
        scripts.threeRevisions();
        Map<String, List<String>> cleanSchemas = Map.of(
                "<base>",
                cleanSchemaAt(null),
                "1",
                cleanSchemaAt("1"),
                "2",
                cleanSchemaAt("2"),
                "3",
                cleanSchemaAt("3"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 15; round++) {
                List<Future<?>> runs = new ArrayList<>();
                runs.add(pool.submit(() -> tolerateLostRace(() -> migrations().upgrade(null, false))));
                String target = round % 3 == 0 ? "base" : "-" + (1 + round % 2);
                runs.add(pool.submit(() -> tolerateLostRace(() -> migrations().downgrade(target, false))));
                for (Future<?> run : runs) {
                    run.get();
                }
                String current = migrations().status().current();
                assertThat(schema())
                        .as("round %d at revision %s", round, current)
                        .isEqualTo(cleanSchemas.get(current == null ? "<base>" : current));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void flywayItselfRacingADowngradeLeavesAHistoryThatMatchesTheSchema() throws Exception {
        scripts.threeRevisions();
        Flyway flyway = Flyway.configure()
                .dataSource(uri.jdbcUrl(), uri.user(), uri.password())
                .locations("filesystem:" + scripts.directory())
                .loggers(FlywayLogBridge.class.getName())
                .load();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 15; round++) {
                // Flyway locks each migration, not its whole run, and caches the rows it has read: a
                // downgrade between two of its migrations can make its next script fail (rolled back), or
                // let it apply revisions above one that was just undone; either way the history says
                // exactly which scripts the schema holds
                Future<?> up = pool.submit(() -> {
                    try {
                        flyway.migrate();
                    } catch (org.flywaydb.core.api.FlywayException e) {
                        // rolled back by Flyway
                    }
                });
                String target = round % 2 == 0 ? "base" : "-1";
                Future<?> down =
                        pool.submit(() -> tolerateLostRace(() -> migrations().downgrade(target, false)));
                up.get();
                down.get();
                assertThat(schema())
                        .as("round %d with revisions %s", round, history())
                        .isEqualTo(cleanSchemaWith(history()));
                if (!migrations().status().problems().isEmpty()) {
                    // a gap Flyway left, which db-current names and db-downgrade refuses: start afresh
                    server.execute(
                            uri.database(), "DROP TABLE IF EXISTS sites, users; DELETE FROM flyway_schema_history");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A downgrade that plans under the lock may find fewer revisions than it asked for once the
     * upgrade has run or not; that is a refusal, never a corruption.
     */
    private static void tolerateLostRace(Runnable run) {
        try {
            run.run();
        } catch (ConfigurationException e) {
            assertThat(e.getMessage()).startsWith("Cannot undo");
        }
    }

    @Test
    void bemserverCoreUndoesToBaseLeavingOnlyTheEnumItsFirstUndoForgets() throws Exception {
        scripts.copyAll(Path.of(
                getClass().getResource("/corpus/bemserver-core/db/migration").toURI()));
        migrations().upgrade(null, false);
        reporter.infos.clear();

        DowngradeResult result = migrations().downgrade("base", false);

        assertThat(result.reverted())
                .extracting(Revision::id)
                .containsExactly(
                        "0.21", "0.15", "0.14", "0.13", "0.12", "0.11", "0.10", "0.8", "0.6", "0.4", "0.3.1", "0.3",
                        "0.1");
        assertThat(reporter.infos).first().isEqualTo("Reverting 0.21 - v0 21 (1/13)");
        assertThat(server.tables(uri.database(), "public")).containsExactly("flyway_schema_history");
        assertThat(server.column(
                        uri.database(),
                        "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                                + "WHERE n.nspname = 'public' AND t.typtype = 'e'"))
                .containsExactly("propertytype");
        assertThat(history()).isEmpty();
    }
}
