package org.bemserver.schema.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.connect.ConnectionSettings;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.SchemaFingerprint;
import org.bemserver.testing.Scripts;
import org.bemserver.testing.TestServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SetupTest extends EngineTest {

    private static final Path DEMO = Path.of("examples/bemserver-demo/src/main/resources/db");
    private static final String MIGRATIONS = "src/main/resources/db/migration";
    private static final String MODEL = "src/main/resources/db/model";

    private Scripts migrationScripts;
    private Scripts modelScripts;

    @BeforeEach
    void demoProject() {
        migrationScripts = new Scripts(project.resolve(MIGRATIONS)).copyAll(DEMO.resolve("migration"));
        modelScripts = new Scripts(project.resolve(MODEL)).copyAll(DEMO.resolve("model"));
    }

    private Migrations migrations() {
        return migrations(true);
    }

    private Migrations migrations(boolean placeholderReplacement) {
        MigrationSettings settings = new MigrationSettings(
                project,
                List.of(MIGRATIONS),
                List.of("public"),
                "flyway_schema_history",
                Map.of(),
                false,
                placeholderReplacement);
        return new Migrations(database.dataSource(), settings, reporter);
    }

    private SetupResult setup(boolean reset) {
        return new Setup(migrations(), ModelFiles.list(project, MODEL), reporter).run(reset);
    }

    @Test
    void aModelFileIsAppliedAsWrittenWhenPlaceholderReplacementIsOff() {
        // a model file has no .conf file: the project-wide setting is its way out of replacement
        modelScripts.write("950-template.sql", "COMMENT ON TABLE ts_data_states IS 'template: ${site} ${';\n");
        assertThatThrownBy(() -> setup(false))
                .hasMessage("950-template.sql holds a ${ that no } closes: close it, or keep it as written with "
                        + "bemserver.placeholderReplacement=false (Flyway refuses the script too)");
        assertThat(server.tables(uri.database(), "public")).isEmpty();

        new Setup(migrations(false), ModelFiles.list(project, MODEL), reporter).run(false);
        assertThat(server.value(uri.database(), "SELECT obj_description('ts_data_states'::regclass, 'pg_class')"))
                .isEqualTo("template: ${site} ${");
        assertThat(migrations(false).status().toText()).isEqualTo("Current revision: 7 (head)");
    }

    private List<String> schema() {
        return SchemaFingerprint.of(server, uri.database(), "public");
    }

    private List<String> upgradedDemoSchema() {
        DatabaseUri other = server.createDatabase("upgraded");
        try (Database upgraded = Database.open(other, "test", Duration.ofSeconds(10))) {
            MigrationSettings settings = new MigrationSettings(
                    project, List.of(MIGRATIONS), List.of("public"), "flyway_schema_history", Map.of());
            new Migrations(upgraded.dataSource(), settings, Reporter.silent()).upgrade(null, false);
        }
        return SchemaFingerprint.of(server, other.database(), "public");
    }

    @Test
    void setupOnAnEmptyDatabaseAppliesTheModelAndRecordsHead() {
        SetupResult result = setup(false);

        assertThat(reporter.infos)
                .containsExactly(
                        "Applying model 010-types.sql (1/4)",
                        "Applying model 020-tables.sql (2/4)",
                        "Applying model 030-views.sql (3/4)",
                        "Applying model 900-default-rows.sql (4/4)",
                        "Recorded 7 scripts as applied in public.flyway_schema_history (head: revision 7)");
        assertThat(result.revision()).isEqualTo("7");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 7 (head)");
        assertThat(schema()).isEqualTo(upgradedDemoSchema());
        assertThat(server.column(uri.database(), "SELECT name FROM ts_data_states ORDER BY id"))
                .containsExactly("Raw", "Clean");

        reporter.infos.clear();
        assertThat(migrations().upgrade(null, false).applied()).isEmpty();
        assertThat(reporter.infos).containsExactly("Nothing to apply: the database is already at revision 7 (head)");
        assertThat(Flyway.configure()
                        .dataSource(uri.jdbcUrl(), uri.user(), uri.password())
                        .locations("filesystem:" + migrationScripts.directory())
                        .load()
                        .validateWithResult()
                        .validationSuccessful)
                .isTrue();
    }

    @Test
    void theHistoryTableIsTheOneFlywayCreates() {
        setup(false);
        DatabaseUri byFlyway = server.createDatabase("by_flyway");
        Flyway.configure()
                .dataSource(byFlyway.jdbcUrl(), byFlyway.user(), byFlyway.password())
                .locations("filesystem:" + migrationScripts.directory())
                .load()
                .migrate();

        String definition = """
                SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' '
                       || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
                  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE a.attrelid = 'public.flyway_schema_history'::regclass AND a.attnum > 0 ORDER BY a.attnum""";
        String indexes = "SELECT pg_get_indexdef(indexrelid) FROM pg_index "
                + "WHERE indrelid = 'public.flyway_schema_history'::regclass ORDER BY 1";
        assertThat(server.column(uri.database(), definition)).isEqualTo(server.column(byFlyway.database(), definition));
        assertThat(server.column(uri.database(), indexes))
                .isEqualTo(server.column(byFlyway.database(), indexes))
                .hasSize(2);
        String rows = "SELECT installed_rank, version, description, type, script, checksum, success "
                + "FROM flyway_schema_history ORDER BY installed_rank";
        assertThat(server.query(uri.database(), rows)).isEqualTo(server.query(byFlyway.database(), rows));
    }

    @Test
    void aNonEmptyDatabaseIsRefusedWithWhatWasFound() {
        server.execute(
                uri.database(),
                "SET ROLE " + TestServer.OWNER + "; CREATE TABLE leftover (id serial PRIMARY KEY); "
                        + "CREATE VIEW leftovers AS SELECT id FROM leftover; CREATE TYPE mood AS ENUM ('ok')");
        List<String> before = schema();

        assertThatThrownBy(() -> setup(false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("The database is not empty: 1 view, 1 table, 1 sequence, 1 type in schema public; db-setup "
                        + "builds an empty database from the model: adopt this one with db-baseline (it has no history "
                        + "of this plugin), or drop everything in it first with -Dbemserver.reset=true");
        assertThat(schema()).isEqualTo(before);
        assertThat(server.tables(uri.database(), "public")).containsExactly("leftover");
    }

    @Test
    void aResetDropsEverythingButExtensionsAndGrantsThenSetsUp() {
        server.execute(
                uri.database(),
                "CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE ROLE setup_reader_" + uri.database()
                        + "; GRANT USAGE ON SCHEMA public TO setup_reader_" + uri.database());
        migrations().upgrade("5", false);
        server.execute(
                uri.database(),
                "SET ROLE " + TestServer.OWNER + "; CREATE FUNCTION stray() RETURNS int LANGUAGE sql "
                        + "AS 'SELECT 1'; CREATE DOMAIN positive AS int CHECK (VALUE > 0); CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x");
        reporter.infos.clear();

        SetupResult result = setup(true);

        assertThat(result.dropped())
                .startsWith("1 materialized view, ")
                .contains("tables", "1 function", "1 domain")
                .endsWith(" in schema public");
        assertThat(reporter.infos.get(0)).isEqualTo("Dropping " + result.dropped() + " (reset)");
        assertThat(schema()).isEqualTo(upgradedDemoSchema());
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 7 (head)");
        assertThat(server.value(uri.database(), "SELECT extname FROM pg_extension WHERE extname = 'pgcrypto'"))
                .isEqualTo("pgcrypto");
        assertThat(server.value(
                        uri.database(),
                        "SELECT has_schema_privilege('setup_reader_" + uri.database() + "', 'public', 'USAGE')"))
                .isEqualTo("t");
        assertThat(server.value(
                        uri.database(), "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public'"))
                .isEqualTo(TestServer.OWNER);
    }

    @Test
    void aResetNeverReachesIntoSchemasItDoesNotManage() {
        migrations().upgrade(null, false);
        server.execute(
                uri.database(),
                "SET ROLE " + TestServer.OWNER + "; CREATE SCHEMA reporting; "
                        + "CREATE VIEW reporting.site_names AS SELECT name FROM public.sites; "
                        + "CREATE TABLE reporting.alerts (level public.event_level)");
        List<String> before = schema();

        assertThatThrownBy(() -> setup(true))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("The reset would also drop what other schemas build on the managed ones: table "
                        + "reporting.alerts, view reporting.site_names; nothing was changed: drop or move them first, or add "
                        + "their schemas to bemserver.schemas");
        assertThat(schema()).isEqualTo(before);
        assertThat(server.tables(uri.database(), "reporting")).containsExactly("alerts");
    }

    @Test
    void statementsTheTransactionCannotHoldAreRefusedBeforeAnythingRuns() {
        modelScripts.write(
                "030-views.sql",
                "CREATE VIEW v AS SELECT 1 AS x;\nCOMMIT;\nCREATE INDEX CONCURRENTLY ix ON users (name);\n");

        assertThatThrownBy(() -> setup(false))
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "Cannot set up, nothing was changed: src/main/resources/db/model/030-views.sql line 2 (COMMIT): it "
                                + "ends or starts a transaction itself: remove it, the plugin manages the transaction; "
                                + "src/main/resources/db/model/030-views.sql line 3 (CREATE INDEX CONCURRENTLY ix ON users (name)): it "
                                + "cannot run in a transaction, and the model is applied in one");
        assertThat(server.tables(uri.database(), "public")).isEmpty();
    }

    @Test
    void defaultRowsCopiedFromStdinAreFedToTheirTableAndDataReadDifferentlyAreRefused() {
        // as pg_dump writes default rows; O'Brien is data, not an open quote
        modelScripts.write(
                "900-default-rows.sql",
                "COPY ts_data_states (id, name) FROM stdin;\n1\tRaw\n2\tO'Brien\n\\.\n"
                        + "SELECT pg_catalog.setval('ts_data_states_id_seq', 2, true);\n");
        setup(false);
        assertThat(server.column(uri.database(), "SELECT name FROM ts_data_states ORDER BY id"))
                .containsExactly("Raw", "O'Brien");

        modelScripts.write("900-default-rows.sql", "COPY ts_data_states (id, name) FROM stdin;\n1\tRaw\n \\.\n");
        assertThatThrownBy(() -> setup(true))
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "Cannot set up, nothing was changed: src/main/resources/db/model/900-default-rows.sql line 1 "
                                + "(COPY ts_data_states (id, name) FROM stdin): its data have no line \\. alone that ends them "
                                + "(Flyway also ends them at a \\. among spaces, psql does not): end the rows with a line "
                                + "holding \\. alone");
        assertThat(server.column(uri.database(), "SELECT name FROM ts_data_states ORDER BY id"))
                .containsExactly("Raw", "O'Brien");
    }

    @Test
    void aResetRecordsEachScriptOnceEvenARepeatableAppliedTwice() {
        migrationScripts.write("R__site_names.sql", "CREATE OR REPLACE VIEW site_names AS SELECT name FROM sites;\n");
        modelScripts.write(
                "040-repeatables.sql", "CREATE OR REPLACE VIEW site_names AS SELECT name, latitude FROM sites;\n");
        migrations().upgrade(null, false);
        migrationScripts.write(
                "R__site_names.sql", "CREATE OR REPLACE VIEW site_names AS SELECT name, latitude FROM sites;\n");
        migrations().upgrade(null, false);

        setup(true);

        assertThat(server.column(uri.database(), "SELECT script FROM flyway_schema_history ORDER BY installed_rank"))
                .doesNotHaveDuplicates()
                .hasSize(8)
                .contains("R__site_names.sql");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 7 (head)");
    }

    @Test
    void aResetOfARemoteHostIsRefusedBeforeConnecting() {
        ConnectionSettings remote = ConnectionSettings.resolve(
                "SQLALCHEMY_DATABASE_URI",
                Map.of("SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://bem:pw@db.example.org:5432/core")::get,
                null,
                Duration.ofSeconds(10));

        assertThatThrownBy(() -> Setup.checkReset(remote, List.of("public"), true, false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "Refusing to reset the database on db.example.org: -Dbemserver.reset=true drops everything in "
                                + "schema public and db.example.org is not this machine; add -Dbemserver.allowRemoteReset=true if "
                                + "you mean it");
        Setup.checkReset(remote, List.of("public"), true, true);
        Setup.checkReset(remote, List.of("public"), false, false);
        ConnectionSettings local = ConnectionSettings.resolve(
                "SQLALCHEMY_DATABASE_URI",
                Map.of("SQLALCHEMY_DATABASE_URI", "postgresql://bem@127.0.0.1/core")::get,
                null,
                Duration.ofSeconds(10));
        Setup.checkReset(local, List.of("public"), true, false);
    }

    @Test
    void aFailingModelFileLeavesTheDatabaseAsItWas() {
        modelScripts.write(
                "030-views.sql",
                "CREATE VIEW campaign_names AS SELECT name FROM campaigns;\n\n"
                        + "CREATE VIEW broken AS SELECT nothing FROM campaigns;\n");
        migrations().upgrade("2", false);
        List<String> before = schema();

        assertThatThrownBy(() -> setup(true))
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "Model file src/main/resources/db/model/030-views.sql failed at line 3 (SQL state 42703: column "
                                + "\"nothing\" does not exist); nothing was changed (the reset was rolled back too): fix the model and "
                                + "run db-setup again");
        assertThat(schema()).isEqualTo(before);
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 2 (5 pending: 3, 4, 5, 6, 7)");
    }

    @Test
    void aMissingOrEmptyModelDirectoryIsAClearError() throws Exception {
        assertThatThrownBy(() -> ModelFiles.list(project, "db/nowhere"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "Model directory db/nowhere does not exist: create it with the schema at head as plain SQL files "
                                + "(e.g. 010-tables.sql, 900-default-rows.sql), or set bemserver.model");
        Files.createDirectories(project.resolve("db/empty"));
        Files.writeString(project.resolve("db/empty/README.md"), "nothing here");
        assertThatThrownBy(() -> ModelFiles.list(project, "db/empty"))
                .hasMessage("Model directory db/empty holds no .sql file: add the schema at head as plain SQL files "
                        + "(e.g. 010-tables.sql, 900-default-rows.sql), or set bemserver.model");
    }

    @Test
    void aNewRevisionAppliesOnTopOfASetUpDatabaseAndUndoScriptsWork() {
        setup(false);
        migrationScripts
                .write("V8__add_building_area.sql", "ALTER TABLE buildings ADD COLUMN area double precision;\n")
                .write("U8__add_building_area.sql", "ALTER TABLE buildings DROP COLUMN area;\n");
        reporter.infos.clear();

        migrations().upgrade(null, false);
        assertThat(reporter.infos).containsExactly("Applying 8 - add building area (1/1)");

        migrations().downgrade("6", false);
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 6 (2 pending: 7, 8)");
        assertThat(server.tables(uri.database(), "public")).doesNotContain("events", "event_categs");
    }

    @Test
    void anEmptyHistoryTableLeftByADowngradeToBaseIsNoObstacle() {
        migrations().upgrade(null, false);
        migrations().downgrade("base", false);

        setup(false);

        assertThat(migrations().status().toText()).isEqualTo("Current revision: 7 (head)");
        assertThat(schema()).isEqualTo(upgradedDemoSchema());
    }
}
