package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.Scripts;
import org.bemserver.testing.TestServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigrationsTest extends EngineTest {

    private static final String HISTORY_ROWS = "SELECT count(*) FROM flyway_schema_history";

    private Scripts scripts;

    @BeforeEach
    void migrationDirectory() {
        scripts = new Scripts(project.resolve("src/main/resources/db/migration"));
    }

    private Migrations migrations() {
        return migrations(Map.of());
    }

    private Migrations migrations(Map<String, String> placeholders) {
        return migrations(database, placeholders);
    }

    private Migrations migrations(Database on, Map<String, String> placeholders) {
        MigrationSettings settings = new MigrationSettings(
                project,
                List.of("filesystem:src/main/resources/db/migration"),
                List.of("public"),
                "flyway_schema_history",
                placeholders);
        return new Migrations(on.dataSource(), settings, reporter);
    }

    @Test
    void anEmptyDatabaseIsAtBaseWithEveryRevisionPending() {
        scripts.threeRevisions();

        RevisionStatus status = migrations().status();

        assertThat(status.toText()).isEqualTo("Current revision: <base> (3 pending: 1, 2, 3)");
        assertThat(status.toJson())
                .isEqualTo("{\"current\":null,\"head\":\"3\",\"pending\":[\"1\",\"2\",\"3\"],\"state\":\"behind\"}");
    }

    @Test
    void upgradeAppliesEveryRevisionInOrderAndSaysEachStep() {
        scripts.threeRevisions();

        UpgradeResult result = migrations().upgrade(null, false);

        assertThat(reporter.infos)
                .containsExactly(
                        "Applying 1 - create users (1/3)",
                        "Applying 2 - create sites (2/3)",
                        "Applying 3 - add site timezone (3/3)");
        assertThat(result.from()).isNull();
        assertThat(result.to()).isEqualTo("3");
        assertThat(server.tables(uri.database(), "public")).containsExactly("flyway_schema_history", "sites", "users");
        assertThat(server.value(uri.database(), "SELECT timezone FROM sites")).isEqualTo("UTC");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 3 (head)");
    }

    @Test
    void upgradeToATargetStopsThere() {
        scripts.threeRevisions();

        UpgradeResult result = migrations().upgrade("2", false);

        assertThat(result.to()).isEqualTo("2");
        assertThat(reporter.infos)
                .containsExactly("Applying 1 - create users (1/2)", "Applying 2 - create sites (2/2)");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 2 (1 pending: 3)");
        assertThat(migrations().status().toJson())
                .isEqualTo("{\"current\":\"2\",\"head\":\"3\",\"pending\":[\"3\"],\"state\":\"behind\"}");
    }

    @Test
    void upgradeAtHeadSaysSoAndChangesNothing() {
        scripts.threeRevisions();
        migrations().upgrade(null, false);
        reporter.infos.clear();

        UpgradeResult result = migrations().upgrade("head", false);

        assertThat(result.applied()).isEmpty();
        assertThat(reporter.infos).containsExactly("Nothing to apply: the database is already at revision 3 (head)");
        assertThat(server.value(uri.database(), HISTORY_ROWS)).isEqualTo("3");
    }

    @Test
    void aRunOpensOneConnectionForItsLockAndOneForItsWorkAndReadsOnThem() {
        scripts.threeRevisions();
        // the version probe's connection, kept for the first of the run
        assertThat(database.connectionsOpened()).isEqualTo(1);

        migrations().upgrade(null, false);
        // its reads (history, adoption) run on the connection that then takes the lock, or applies
        assertThat(database.connectionsOpened()).isEqualTo(2);

        migrations().upgrade(null, false);
        assertThat(database.connectionsOpened()).isEqualTo(3);

        migrations().downgrade("base", false);
        // the connection of the read at head, given back, takes the lock; one more does the work
        assertThat(database.connectionsOpened()).isEqualTo(4);
        assertThat(server.tables(uri.database(), "public")).containsExactly("flyway_schema_history");
    }

    @Test
    void theHistoryRowSentWithItsScriptKeepsQuotesAndBackslashesWhateverTheScriptSets() {
        // 2 and 3 go to the server in one round trip, their rows written in it after 2's SET
        scripts.write("V1__first.sql", "CREATE TABLE first (id int);\n")
                .write("V2__o'neil_c\\d.sql", "SET standard_conforming_strings = off;\nCREATE TABLE sites (id int);\n")
                .write("V3__it's_c\\d.sql", "CREATE TABLE third (id int);\n");

        migrations().upgrade(null, false);

        assertThat(server.value(
                        uri.database(),
                        "SELECT string_agg(description || '|' || script, ' ' ORDER BY installed_rank) "
                                + "FROM flyway_schema_history WHERE installed_rank > 1"))
                .isEqualTo("o'neil c\\d|V2__o'neil_c\\d.sql it's c\\d|V3__it's_c\\d.sql");
        assertThat(server.value(
                        uri.database(),
                        "SELECT bool_and(execution_time >= 0 AND success) AND count(*) = 3 FROM flyway_schema_history"))
                .isEqualTo("t");
    }

    @Test
    void eachCommitButTheLastOfARunLeavesTheDiskWaitToTheLastOne() {
        // a deferred trigger runs inside each commit and records the setting that commit goes by
        scripts.write("V1__commit_log.sql", """
                        CREATE TABLE commit_log (revision int, synchronous_commit text);
                        CREATE FUNCTION log_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            INSERT INTO commit_log VALUES (NEW.revision, current_setting('synchronous_commit'));
                            RETURN NULL;
                        END $$;
                        CREATE TABLE applied (revision int);
                        CREATE CONSTRAINT TRIGGER at_commit AFTER INSERT ON applied
                            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION log_commit();
                        INSERT INTO applied VALUES (1);
                        """)
                .write("V2__two.sql", "INSERT INTO applied VALUES (2);\n")
                .write("V3__three.sql", "INSERT INTO applied VALUES (3);\n")
                .write("V4__four.sql", "INSERT INTO applied VALUES (4);\n");

        // the database's own setting, which the last commit of each run goes by (for sessions
        // opened from now on)
        server.execute(
                uri.database(), "ALTER DATABASE \"" + uri.database() + "\" SET synchronous_commit = remote_write");

        try (Database sessions = Database.open(uri, "SQLALCHEMY_DATABASE_URI", Duration.ofSeconds(10))) {
            migrations(sessions, Map.of()).upgrade("3", false);
            migrations(sessions, Map.of()).upgrade(null, false); // a run of one revision
        }

        assertThat(
                        server.value(
                                uri.database(),
                                "SELECT string_agg(revision || ':' || synchronous_commit, ' ' ORDER BY revision) FROM commit_log"))
                .isEqualTo("1:off 2:off 3:remote_write 4:remote_write");
    }

    @Test
    void flywayCallbacksInTheLocationsRunAsFlywayRunsThem() {
        scripts.threeRevisions()
                .write(
                        "afterEachMigrate.sql",
                        "CREATE TABLE IF NOT EXISTS callback_log (n serial);\nINSERT INTO callback_log DEFAULT VALUES;\n");

        migrations().upgrade(null, false);

        // Flyway's own migrate ran the callback after each of the three scripts
        assertThat(server.value(uri.database(), "SELECT count(*) FROM callback_log"))
                .isEqualTo("3");
        assertThat(server.value(uri.database(), HISTORY_ROWS)).isEqualTo("3");
    }

    @Test
    void anUnknownTargetNamesTheKnownRevisions() {
        scripts.threeRevisions();

        assertThatThrownBy(() -> migrations().upgrade("9", false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Unknown revision 9 (bemserver.revision): this project's revisions are 1, 2, 3, or head");
        assertThat(server.tables(uri.database(), "public")).isEmpty();
    }

    @Test
    void aTargetThatIsNotARevisionIsRefused() {
        scripts.threeRevisions();

        assertThatThrownBy(() -> migrations().upgrade("abc", false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("bemserver.revision 'abc' is not a revision: use one of 1, 2, 3 or head");
    }

    @Test
    void aTargetBelowTheCurrentRevisionPointsToDowngrade() {
        scripts.threeRevisions();
        migrations().upgrade(null, false);

        assertThatThrownBy(() -> migrations().upgrade("1", false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("The database is at revision 3, above the target 1: db-upgrade only goes up; "
                        + "run db-downgrade -Dbemserver.revision=1 to go down");
    }

    @Test
    void aFailingMigrationNamesFileLineAndSqlStateAndLeavesThePreviousRevision() {
        // 2 to 5 go to the server in one round trip: 4 fails there, runs again alone, and 5 never runs
        scripts.threeRevisions()
                .write("V4__broken.sql", """
                CREATE TABLE buildings (id serial PRIMARY KEY);

                INSERT INTO buildings (id) VALUES (1);
                INSERT INTO no_such_table VALUES (1);
                """)
                .write("V5__floors.sql", "CREATE TABLE floors (id int);\n");

        assertThatThrownBy(() -> migrations().upgrade(null, false))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Migration src/main/resources/db/migration/V4__broken.sql failed at line 4 "
                        + "(SQL state 42P01: relation \"no_such_table\" does not exist); the database stays at "
                        + "revision 3: fix the script and run db-upgrade again");
        assertThat(server.tables(uri.database(), "public")).contains("sites").doesNotContain("buildings", "floors");
        assertThat(server.value(uri.database(), HISTORY_ROWS)).isEqualTo("3");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 3 (2 pending: 4, 5)");
        assertThat(reporter.infos)
                .filteredOn(line -> line.startsWith("Applying"))
                .containsExactly(
                        "Applying 1 - create users (1/5)",
                        "Applying 2 - create sites (2/5)",
                        "Applying 3 - add site timezone (3/5)",
                        "Applying 4 - broken (4/5)");
    }

    @Test
    void aJdbcEscapeInAScriptGoesToTheServerAsWrittenAsFlywayAndPsqlSendIt() {
        // pgjdbc's escape processing would turn {fn ucase('a')} into upper('a'): the revision would
        // pass here and fail in Flyway's own migrate and in psql (db-script's upgrade script)
        scripts.threeRevisions()
                .write("V4__codes.sql", "CREATE TABLE codes (code text DEFAULT {fn ucase('a')});\n")
                .write("V5__floors.sql", "CREATE TABLE floors (id int);\n");

        assertThatThrownBy(() -> migrations().upgrade(null, false))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Migration src/main/resources/db/migration/V4__codes.sql failed at line 1 "
                        + "(SQL state 42601: syntax error at or near \"{\"")
                .hasMessageEndingWith("the database stays at revision 3: fix the script and run db-upgrade again");
        assertThat(server.tables(uri.database(), "public")).doesNotContain("codes", "floors");
        assertThat(server.value(uri.database(), HISTORY_ROWS)).isEqualTo("3");
    }

    @Test
    void revisionsAfterTheFirstGoFiftyToARoundTripWithNoneAloneBetweenThem() {
        for (int i = 1; i <= 60; i++) {
            scripts.write(
                    "V" + i + "__t" + i + ".sql",
                    "CREATE TABLE t" + i + " (id int);\nCOMMENT ON TABLE t" + i + " IS 'revision " + i + "';\n");
        }

        migrations().upgrade(null, false);

        // a revision run alone goes through a savepoint, whose subtransaction writes its table's
        // row: only then has that row another xmin than the revision's history row. The first
        // goes alone, with the history table created in its transaction; then 2 to 51, 52 to 60.
        assertThat(server.column(
                        uri.database(),
                        "SELECT h.version FROM flyway_schema_history h JOIN pg_class c ON c.relname = 't' || h.version "
                                + "WHERE c.xmin::text <> h.xmin::text ORDER BY h.installed_rank"))
                .containsExactly("1");
        assertThat(server.value(uri.database(), HISTORY_ROWS)).isEqualTo("60");
    }

    @Test
    void aCommitRefusedInARoundTripLeavesTheRevisionsBeforeItAndNothingOfIt() {
        // a deferred unique constraint is checked by the commit of revision 4, which goes to the
        // server with 2, 3 and 5
        scripts.threeRevisions()
                .write("V4__duplicates.sql", """
                        CREATE TABLE badges (code int UNIQUE DEFERRABLE INITIALLY DEFERRED);
                        INSERT INTO badges VALUES (1), (1);
                        """)
                .write("V5__floors.sql", "CREATE TABLE floors (id int);\n");

        assertThatThrownBy(() -> migrations().upgrade(null, false))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("Database error while applying migrations (SQL state 23505: duplicate key "
                        + "value violates unique constraint \"badges_code_key\"")
                .hasMessageEndingWith("the migration in progress was rolled back and the database stays at revision "
                        + "3: run db-current to see where it stands, then run db-upgrade again");
        assertThat(server.tables(uri.database(), "public")).contains("sites").doesNotContain("badges", "floors");
        assertThat(server.value(uri.database(), HISTORY_ROWS)).isEqualTo("3");
    }

    @Test
    void aScriptEditedAfterItWasAppliedIsNamedWithWhatToDo() {
        scripts.threeRevisions();
        migrations().upgrade("2", false);
        scripts.write("V2__create_sites.sql", "CREATE TABLE sites (id bigserial PRIMARY KEY);\n");

        assertThatThrownBy(() -> migrations().upgrade(null, false))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith(
                        "The migrations do not match the database: V2__create_sites.sql was changed after "
                                + "it was applied (checksum ")
                .hasMessageEndingWith("on disk): restore it as it was applied and put the change in a new revision");
        assertThat(server.value(uri.database(), HISTORY_ROWS)).isEqualTo("2");
        assertThat(migrations().status().problems()).hasSize(1);
    }

    @Test
    void badScriptFilesAreListedAndNothingIsApplied() throws Exception {
        scripts.threeRevisions()
                .write("V4_add_area.sql", "ALTER TABLE sites ADD COLUMN area int;\n")
                .write("V5__nothing.sql", "-- to do\n")
                .write("V3.0__again.sql", "SELECT 1;\n")
                .write("beforeMigrate.sql", "SELECT 1;\n")
                .write("V7.sql", "SELECT 1;\n")
                .write("V8__.sql", "SELECT 1;\n")
                .write("R__.sql", "SELECT 1;\n");
        java.nio.file.Files.write(
                scripts.directory().resolve("V6__latin1.sql"),
                new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xE9, '\'', ';'});

        assertThatThrownBy(() -> migrations().upgrade(null, false))
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "7 problems between the migrations and the database: "
                                + "src/main/resources/db/migration/R__.sql has no description: name it R__<slug>.sql "
                                + "(Flyway would apply it with an empty description; the plugin asks for one); "
                                + "src/main/resources/db/migration/V4_add_area.sql is not a migration name: name it V<rev>__<slug>.sql, "
                                + "U<rev>__<slug>.sql or R__<slug>.sql (Flyway would skip it); "
                                + "src/main/resources/db/migration/V5__nothing.sql holds no statement: write the migration or delete "
                                + "the file; "
                                + "src/main/resources/db/migration/V6__latin1.sql is not valid UTF-8: save it as UTF-8; "
                                + "src/main/resources/db/migration/V7.sql has no description: name it V7__<slug>.sql (Flyway "
                                + "would apply it with an empty description; the plugin asks for one); "
                                + "src/main/resources/db/migration/V8__.sql has no description: name it V8__<slug>.sql "
                                + "(Flyway would apply it with an empty description; the plugin asks for one); "
                                + "revision 3.0 has 2 scripts (V3.0__again.sql, V3__add_site_timezone.sql): give each its own revision");
        assertThat(server.tables(uri.database(), "public")).isEmpty();
        assertThatThrownBy(() -> migrations().status()).hasMessageStartingWith("7 problems between the migrations");
    }

    @Test
    void aDatabaseAheadOfTheProjectIsSaidSo() {
        scripts.threeRevisions();
        migrations().upgrade(null, false);
        Scripts older = new Scripts(project.resolve("older"));
        older.write(
                        "V1__create_users.sql",
                        "CREATE TABLE users (id serial PRIMARY KEY, name varchar(80) NOT NULL UNIQUE);\n")
                .write("V2__create_sites.sql", "");
        MigrationSettings settings =
                new MigrationSettings(project, List.of("older"), List.of("public"), "flyway_schema_history", Map.of());

        RevisionStatus status = new Migrations(database.dataSource(), settings, reporter).status();

        assertThat(status.toText()).isEqualTo("Current revision: 3 (not in this project: database is ahead of head 2)");
        assertThat(status.state()).isEqualTo(RevisionStatus.State.AHEAD);
    }

    @Test
    void placeholdersAreReplacedInScripts() {
        scripts.write(
                "V1__settings.sql",
                "CREATE TABLE settings (zone text DEFAULT '${default_zone}');\n"
                        + "INSERT INTO settings VALUES (DEFAULT);\n");

        migrations(Map.of("default_zone", "Europe/Paris")).upgrade(null, false);

        assertThat(server.value(uri.database(), "SELECT zone FROM settings")).isEqualTo("Europe/Paris");
    }

    @Test
    void undoScriptsAreNotWarnedAbout() {
        scripts.threeRevisions();

        migrations().upgrade(null, false);
        migrations().status();

        assertThat(reporter.warnings).isEmpty();
        assertThat(reporter.infos).noneMatch(line -> line.contains("U1__"));
    }

    @Test
    void createIndexConcurrentlyCompletesUnderTheMigrationLock() {
        scripts.threeRevisions()
                .write("V4__index_site_names.sql", "CREATE INDEX CONCURRENTLY ix_sites_name ON sites (name);\n");

        migrations().upgrade(null, false);

        assertThat(server.value(
                        uri.database(), "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_sites_name'::regclass"))
                .isEqualTo("t");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 4 (head)");
    }

    @Test
    void aFailingRepeatableScriptThroughFlywayNamesFileLineAndSqlState() {
        scripts.threeRevisions().write("R__views.sql", """
                CREATE VIEW site_names AS SELECT name FROM sites;

                CREATE VIEW broken AS SELECT * FROM no_such_table;
                """);

        assertThatThrownBy(() -> migrations().upgrade(null, false))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Migration src/main/resources/db/migration/R__views.sql failed at line 3 (SQL state 42P01: "
                        + "relation \"no_such_table\" does not exist); the database stays at revision 3: fix the script and "
                        + "run db-upgrade again");
        assertThat(server.value(uri.database(), "SELECT count(*) FROM pg_views WHERE viewname = 'site_names'"))
                .isEqualTo("0");
    }

    @Test
    void aFailingScriptOutsideATransactionSaysWhatFlywayRecorded() {
        scripts.threeRevisions().write("V4__index.sql", """
                CREATE INDEX CONCURRENTLY ix_sites_name ON sites (name);
                -- the index above stays
                CREATE INDEX CONCURRENTLY ix_broken ON no_such_table (id);
                """);

        assertThatThrownBy(() -> migrations().upgrade(null, false))
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "Migration src/main/resources/db/migration/V4__index.sql failed at line 3 (SQL state 42P01: "
                                + "relation \"no_such_table\" does not exist); it ran outside a transaction, so its statements before "
                                + "that line stay applied and Flyway recorded it as failed: repair the schema by hand, delete the failed "
                                + "row from public.flyway_schema_history, then run db-upgrade again");
        assertThat(migrations().status().problems())
                .containsExactly("revision 4 (V4__index.sql) is recorded as failed: it ran "
                        + "outside a transaction and stopped half-way; repair the schema by hand, then delete its row from the history "
                        + "table");
    }

    @Test
    void aMissingLocationIsAConfigurationError() {
        MigrationSettings settings = new MigrationSettings(
                project, List.of("filesystem:db/nowhere"), List.of("public"), "flyway_schema_history", Map.of());

        assertThatThrownBy(() -> new Migrations(database.dataSource(), settings, reporter).status())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "Migration location db/nowhere does not exist: create it, or set bemserver.locations to the "
                                + "directory of your V<rev>__<slug>.sql scripts");
    }

    @Test
    void historyListsAppliedAndPendingRevisions() {
        scripts.threeRevisions();
        migrations().upgrade("1", false);

        List<HistoryEntry> history = migrations().history();

        assertThat(history)
                .extracting(HistoryEntry::revision, HistoryEntry::description, HistoryEntry::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", "create users", "applied"),
                        org.assertj.core.groups.Tuple.tuple("2", "create sites", "pending"),
                        org.assertj.core.groups.Tuple.tuple("3", "add site timezone", "pending"));
        assertThat(history.get(0).appliedAt()).isNotNull();
        assertThat(history.get(0).appliedBy()).isEqualTo(TestServer.OWNER);
        assertThat(History.toText(history).get(0)).startsWith("Revision  Description        State    Applied at (UTC)");
        assertThat(History.toJson(history))
                .startsWith("{\"revisions\":[{\"revision\":\"1\",\"description\":\"create users\","
                        + "\"script\":\"V1__create_users.sql\",\"state\":\"applied\",\"appliedAt\":\"");
    }

    @Test
    void repeatableScriptsRunAfterVersionedOnesAndAgainWhenChanged() {
        scripts.threeRevisions()
                .write("R__site_names.sql", "CREATE OR REPLACE VIEW site_names AS SELECT name FROM sites;\n");

        migrations().upgrade(null, false);
        assertThat(reporter.infos).last().isEqualTo("Applying repeatable - site names (4/4)");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 3 (head)");

        scripts.write("R__site_names.sql", "CREATE OR REPLACE VIEW site_names AS SELECT name, timezone FROM sites;\n");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 3 (1 pending: repeatable site names)");
    }

    @Test
    void aScriptWithCopyFromStdinDataGoesThroughFlyway() {
        scripts.write("V1__sites.sql", "CREATE TABLE sites (id int PRIMARY KEY, name text);\n")
                .write("V2__load_sites.sql", "COPY sites (id, name) FROM STDIN;\n1\tO'Brien\n2\tLab\n\\.\nSELECT 2;\n")
                .write("V3__after.sql", "CREATE TABLE after_load (id int);\n");

        // the dry run prints the data after the COPY, as psql reads them, and the statement after them
        assertThat(migrations().upgrade(null, true).dryRunSql())
                .contains("\nCOPY sites (id, name) FROM STDIN;\n1\tO'Brien\n2\tLab\n\\.\nSELECT 2;\n");
        migrations().upgrade(null, false);

        assertThat(server.column(uri.database(), "SELECT name FROM sites ORDER BY id"))
                .containsExactly("O'Brien", "Lab");
        assertThat(server.value(uri.database(), HISTORY_ROWS)).isEqualTo("3");
        assertThat(reporter.debugs).anyMatch(line -> line.contains("Migrating schema"));
    }

    @Test
    void aSchemaThatIsNotThereIsCreatedByFlywayAndRecordedAsFlywayRecordsIt() {
        scripts.threeRevisions();
        MigrationSettings settings = new MigrationSettings(
                project, List.of("src/main/resources/db/migration"), List.of("app"), "flyway_schema_history", Map.of());

        new Migrations(database.dataSource(), settings, reporter).upgrade(null, false);

        assertThat(server.column(
                        uri.database(),
                        "SELECT type || ':' || coalesce(version, '-') FROM app.flyway_schema_history "
                                + "ORDER BY installed_rank"))
                .containsExactly("SCHEMA:-", "SQL:1", "SQL:2", "SQL:3");
        assertThat(new Migrations(database.dataSource(), settings, reporter)
                        .status()
                        .toText())
                .isEqualTo("Current revision: 3 (head)");
    }

    @Test
    void aNonEmptySchemaWithoutHistoryIsRefusedWithDbBaselineNamedAndNothingIsApplied() {
        scripts.threeRevisions();
        server.execute(
                uri.database(),
                "SET ROLE " + TestServer.OWNER + "; CREATE FUNCTION public.answer() RETURNS int "
                        + "LANGUAGE sql AS 'SELECT 42'");

        assertThatThrownBy(() -> migrations().upgrade(null, false))
                .isInstanceOf(MigrationException.class)
                .hasMessage("The database has no history table public.flyway_schema_history but schema public holds "
                        + "objects: adopt it with db-baseline first, which proves the revision it holds and records "
                        + "it; nothing was changed");
        assertThat(server.tables(uri.database(), "public")).isEmpty();
    }

    @Test
    void otherSchemasAndHistoryTablesAreHonoured() {
        server.execute(uri.database(), "CREATE SCHEMA core AUTHORIZATION " + TestServer.OWNER);
        scripts.write("V1__t.sql", "CREATE TABLE t (id int);\n");
        MigrationSettings settings = new MigrationSettings(
                project, List.of("src/main/resources/db/migration"), List.of("core"), "schema_history", Map.of());

        new Migrations(database.dataSource(), settings, reporter).upgrade(null, false);

        assertThat(server.tables(uri.database(), "core")).containsExactly("schema_history", "t");
        assertThat(server.tables(uri.database(), "public")).isEmpty();
    }

    @Test
    void bemserverCoreHistoryUpgradesToItsHeadAndFlywayAgrees() throws Exception {
        scripts.copyAll(Path.of(
                getClass().getResource("/corpus/bemserver-core/db/migration").toURI()));

        UpgradeResult result = migrations().upgrade(null, false);

        assertThat(result.applied())
                .extracting(Revision::id)
                .containsExactly(
                        "0.1", "0.3", "0.3.1", "0.4", "0.6", "0.8", "0.10", "0.11", "0.12", "0.13", "0.14", "0.15",
                        "0.21");
        String db = uri.database();
        assertThat(server.tables(db, "public")).hasSize(54); // 53 tables + flyway_schema_history
        assertThat(server.value(db, "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"))
                .isEqualTo("33");
        assertThat(server.value(
                        db,
                        "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                                + "WHERE n.nspname = 'public' AND t.typtype = 'e'"))
                .isEqualTo("4");
        assertThat(server.value(db, "SELECT count(*) FROM ts_props")).isEqualTo("3");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 0.21 (head)");
        assertThat(reporter.warnings).isEmpty();

        scripts.assertFlywayValidates(uri);
    }

    @Test
    void theHistoryTableAndRowsAreTheOnesFlywayWrites() throws Exception {
        scripts.copyAll(Path.of(
                getClass().getResource("/corpus/bemserver-core/db/migration").toURI()));
        DatabaseUri byFlyway = server.createDatabase("flyway");
        Flyway.configure()
                .dataSource(byFlyway.jdbcUrl(), byFlyway.user(), byFlyway.password())
                .locations("filesystem:" + scripts.directory())
                .load()
                .migrate();

        migrations().upgrade(null, false);

        String rows = "SELECT installed_rank, version, description, type, script, checksum, installed_by, success, "
                + "execution_time >= 0 FROM flyway_schema_history ORDER BY installed_rank";
        assertThat(server.query(uri.database(), rows)).hasSize(13).isEqualTo(server.query(byFlyway.database(), rows));
        String table = "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                + "pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid "
                + "AND d.adnum = a.attnum WHERE a.attrelid = 'flyway_schema_history'::regclass AND a.attnum > 0 "
                // PostgreSQL 18 records each NOT NULL as a constraint too; attnotnull above says the same
                + "UNION ALL SELECT conname, pg_get_constraintdef(oid), null, null FROM pg_constraint "
                + "WHERE conrelid = 'flyway_schema_history'::regclass AND contype <> 'n' "
                + "UNION ALL SELECT indexname, indexdef, null, null FROM pg_indexes WHERE tablename = 'flyway_schema_history'";
        assertThat(server.query(uri.database(), table)).hasSize(13).isEqualTo(server.query(byFlyway.database(), table));
        // the schema is there and empty: the plugin creates the table and applies every script itself
        assertThat(reporter.debugs).noneMatch(line -> line.contains("Migrating schema"));
        assertThat(reporter.infos.stream().filter(line -> line.startsWith("Applying ")))
                .hasSize(13)
                .first()
                .asString()
                .startsWith("Applying 0.1 - ")
                .endsWith(" (1/13)");
    }

    @Test
    void aScriptThatChangesTheSessionDoesNotChangeTheNextOneOrWhoIsRecorded() {
        server.execute(
                "postgres",
                "DO $$ BEGIN CREATE ROLE bem_other_role; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        server.execute("postgres", "GRANT bem_other_role TO " + TestServer.OWNER);
        server.execute(uri.database(), "GRANT CREATE ON SCHEMA public TO bem_other_role");
        scripts.write("V1__first.sql", "CREATE TABLE first (id int);\n")
                .write(
                        "V2__switch.sql",
                        "SET ROLE bem_other_role;\nSET search_path = pg_catalog;\n"
                                + "CREATE TABLE public.switched (id int);\n")
                .write("V3__after.sql", "CREATE TABLE after_switch (id int);\n");

        migrations().upgrade(null, false);

        assertThat(server.column(uri.database(), "SELECT DISTINCT installed_by FROM flyway_schema_history"))
                .containsExactly(TestServer.OWNER);
        assertThat(server.value(uri.database(), "SELECT tableowner FROM pg_tables WHERE tablename = 'switched'"))
                .isEqualTo("bem_other_role");
        assertThat(server.value(
                        uri.database(),
                        "SELECT schemaname || ':' || tableowner FROM pg_tables " + "WHERE tablename = 'after_switch'"))
                .isEqualTo("public:" + TestServer.OWNER);
    }
}
