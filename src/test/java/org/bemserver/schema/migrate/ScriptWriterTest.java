package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.SchemaFingerprint;
import org.bemserver.testing.Scripts;
import org.bemserver.testing.SqlFile;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * db-script's files run on real databases, statement by statement over JDBC and, where a test
 * says {@link SqlFile#run}, with the real {@code psql} when it is on the PATH (over JDBC when it is
 * not), against databases upgraded by db-upgrade and by Flyway.
 */
class ScriptWriterTest extends EngineTest {

    private static final String LOCATION = "src/main/resources/db/migration";
    private static final String ROWS =
            "SELECT installed_rank, version, description, type, script, checksum, installed_by, "
                    + "success, execution_time >= 0 FROM flyway_schema_history ORDER BY installed_rank";

    private Scripts scripts;

    @BeforeEach
    void fourRevisions() {
        scripts = new Scripts(project.resolve(LOCATION))
                .threeRevisions()
                .write("V4__index_site_names.sql", "CREATE INDEX CONCURRENTLY sites_name_idx ON sites (name);\n")
                .write("U4__index_site_names.sql", "DROP INDEX sites_name_idx;\n")
                .write(
                        "V5__comment_sites.sql",
                        "COMMENT ON TABLE sites IS 'sites of ${flyway:database}, by ${flyway:user}';\n"
                                + "CREATE TABLE notes (id int PRIMARY KEY, body text DEFAULT '${owner}');\n")
                .write("U5__comment_sites.sql", "DROP TABLE notes;\nCOMMENT ON TABLE sites IS NULL;\n");
    }

    private MigrationSettings settings() {
        return new MigrationSettings(
                project, List.of(LOCATION), List.of("public"), "flyway_schema_history", Map.of("owner", "bem"));
    }

    private Path write(String from, String to) {
        ScriptWriter writer = ScriptWriter.plan(settings(), from, to);
        return writer.write(
                        project.resolve("target/bemserver").resolve(writer.defaultFileName()), "org.example:app:1.0")
                .file();
    }

    private Migrations migrations(Database on) {
        return new Migrations(on.dataSource(), settings(), reporter);
    }

    /** Flyway itself on {@code on}, with its lock out of a transaction, which CREATE INDEX CONCURRENTLY would wait for. */
    private FluentConfiguration flyway(DatabaseUri on) {
        FluentConfiguration configuration = Flyway.configure();
        configuration
                .getConfigurationExtension(PostgreSQLConfigurationExtension.class)
                .setTransactionalLock(false);
        return configuration
                .dataSource(on.jdbcUrl(), on.user(), on.password())
                .locations("filesystem:" + scripts.directory())
                .placeholders(Map.of("owner", "bem"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> schema(DatabaseUri of) {
        return SchemaFingerprint.of(server, of.database(), "public");
    }

    @Test
    void theScriptIsReadableAsAnyFileWrittenThere() throws Exception {
        // a DBA or a deploy user other than the build's runs it with psql
        Path plain = project.resolve("target/bemserver/plain.sql");
        Files.createDirectories(plain.getParent());
        Files.writeString(plain, "SELECT 1;\n");
        Path file = write("base", null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)));
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("plain.sql", file.getFileName().toString());
        }
    }

    @Test
    void aProjectWithFlywayCallbacksGetsNoScriptAndIsToldWhy() {
        scripts.write("beforeMigrate.sql", "SELECT 1;\n");

        assertThatThrownBy(() -> ScriptWriter.plan(settings(), "base", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Cannot write the script: the locations hold Flyway callback scripts");
        assertThat(project.resolve("target/bemserver")).doesNotExist();
    }

    @Test
    void aBaseToHeadScriptBuildsWhatDbUpgradeAndFlywayBuildWithTheSameHistory() throws Exception {
        Path file = write("base", null);
        assertThat(file.getFileName().toString()).isEqualTo("upgrade-base-to-5.sql");
        SqlFile.overJdbc(uri, file);

        DatabaseUri byPlugin = server.createDatabase("plugin");
        try (Database other = Database.open(byPlugin, "test", Duration.ofSeconds(10))) {
            migrations(other).upgrade(null, false);
        }
        DatabaseUri byFlyway = server.createDatabase("flyway");
        flyway(byFlyway).load().migrate();

        assertThat(schema(uri)).isNotEmpty().isEqualTo(schema(byPlugin)).isEqualTo(schema(byFlyway));
        assertThat(server.query(uri.database(), ROWS))
                .hasSize(5)
                .isEqualTo(server.query(byPlugin.database(), ROWS))
                .isEqualTo(server.query(byFlyway.database(), ROWS));
        String comment = "SELECT obj_description('sites'::regclass, 'pg_class')";
        assertThat(server.value(uri.database(), comment))
                .isEqualTo(
                        "sites of " + server.value(uri.database(), "SELECT current_database()") + ", by " + uri.user());
        assertThat(server.value(
                        uri.database(),
                        "SELECT indisvalid FROM pg_index WHERE indexrelid = 'sites_name_idx'::regclass"))
                .isEqualTo("t");
        String table = "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_attribute a "
                + "WHERE a.attrelid = 'flyway_schema_history'::regclass AND a.attnum > 0 ORDER BY a.attnum";
        assertThat(server.query(uri.database(), table)).isEqualTo(server.query(byFlyway.database(), table));
        String indexes = "SELECT indexdef FROM pg_indexes WHERE tablename = 'flyway_schema_history' ORDER BY 1";
        assertThat(server.column(uri.database(), indexes)).isEqualTo(server.column(byFlyway.database(), indexes));

        assertThat(migrations(database).status().toText()).isEqualTo("Current revision: 5 (head)");
        assertThat(migrations(database).upgrade(null, false).applied()).isEmpty();
        assertThat(reporter.warnings).isEmpty();
        ValidateResult validation = flyway(uri).load().validateWithResult();
        assertThat(validation.validationSuccessful)
                .as(validation.getAllErrorMessages())
                .isTrue();
    }

    @Test
    void anUpgradeRangeRunWithPsqlEndsAsDbUpgradeEnds() throws Exception {
        migrations(database).upgrade("2", false);
        Path file = write("2", "5");
        SqlFile.Run run = SqlFile.run(uri, file);
        assertThat(run.exitCode()).as(run.runner() + ": " + run.output()).isZero();
        DatabaseUri byPlugin = server.createDatabase("plugin");
        try (Database other = Database.open(byPlugin, "test", Duration.ofSeconds(10))) {
            migrations(other).upgrade(null, false);
        }
        assertThat(schema(uri)).isEqualTo(schema(byPlugin));
        assertThat(server.query(uri.database(), ROWS)).isEqualTo(server.query(byPlugin.database(), ROWS));
        assertThat(migrations(database).status().toText()).isEqualTo("Current revision: 5 (head)");
    }

    @Test
    void copyFromStdinDataGoToPsqlAsFlywayFeedsThemInDbUpgrade() throws Exception {
        // O'Brien, a dollar sign and a semicolon in the data are no SQL: the statements after them run
        scripts.write(
                        "V6__load_notes.sql",
                        "COPY notes (id, body) FROM stdin;\n1\tO'Brien\n2\t$$; --\n\\.\n"
                                + "CREATE TABLE after_load (id int);\n")
                .write("U6__load_notes.sql", "DROP TABLE after_load;\nDELETE FROM notes;\n");
        migrations(database).upgrade("5", false);
        Path file = write("5", null);
        assertThat(read(file)).contains("COPY notes (id, body) FROM stdin;\n1\tO'Brien\n2\t$$; --\n\\.\n");

        SqlFile.Run run = SqlFile.run(uri, file);

        assertThat(run.exitCode()).as(run.runner() + ": " + run.output()).isZero();
        assertThat(server.column(uri.database(), "SELECT body FROM notes ORDER BY id"))
                .containsExactly("O'Brien", "$$; --");
        DatabaseUri byPlugin = server.createDatabase("plugin");
        try (Database other = Database.open(byPlugin, "test", Duration.ofSeconds(10))) {
            migrations(other).upgrade(null, false);
        }
        assertThat(schema(uri)).isEqualTo(schema(byPlugin));
        assertThat(server.query(uri.database(), ROWS)).isEqualTo(server.query(byPlugin.database(), ROWS));
    }

    @Test
    void copyRowsTakingTheSessionsUserAreRefusedWhereFlywayWouldReplaceThem() {
        scripts.write("V6__load_notes.sql", "COPY notes (id, body) FROM stdin;\n1\t${flyway:user}\n\\.\n")
                .write("U6__load_notes.sql", "DELETE FROM notes;\n");

        assertThatThrownBy(() -> write("5", null))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Cannot write the script, nothing was written: V6__load_notes.sql line 1 (COPY notes (id, "
                        + "body) FROM stdin) uses ${flyway:user} or ${flyway:database} in a COPY ... FROM stdin or "
                        + "its rows, which db-script cannot write: name the role or database");
        assertThat(project.resolve("target")).doesNotExist();
    }

    @Test
    void theSessionsUserOutsideATransactionIsRefusedAndQuotedAsWritten() {
        scripts.write("V6__grant.sql", "GRANT SELECT ON sites TO ${flyway:user};\n")
                .write("V6__grant.sql.conf", "executeInTransaction=false\n")
                .write("U6__grant.sql", "REVOKE SELECT ON sites FROM ${flyway:user};\n");

        assertThatThrownBy(() -> write("5", null))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Cannot write the script, nothing was written: V6__grant.sql line 1 (GRANT SELECT ON sites "
                        + "TO ${flyway:user}) uses ${flyway:user} or ${flyway:database} in a script that runs outside "
                        + "a transaction, which db-script cannot write: name the role or database");
        assertThat(project.resolve("target")).doesNotExist();
    }

    @Test
    void anUndoScriptThatCopiesRowsBackDowngradesByPsqlAsDbDowngradeDoes() throws Exception {
        scripts.write("V6__load_notes.sql", "COPY notes (id, body) FROM stdin;\n1\tO'Brien\n2\tkept\n\\.\n")
                .write("U6__load_notes.sql", "DELETE FROM notes;\n")
                .write("V7__purge_notes.sql", "DELETE FROM notes WHERE id = 1;\n")
                .write("U7__purge_notes.sql", "COPY notes (id, body) FROM stdin;\n1\tO'Brien\n\\.\n");
        migrations(database).upgrade(null, false);
        Path file = write("7", "6");
        assertThat(read(file)).contains("COPY notes (id, body) FROM stdin;\n1\tO'Brien\n\\.\n");

        SqlFile.Run run = SqlFile.run(uri, file);

        assertThat(run.exitCode()).as(run.runner() + ": " + run.output()).isZero();
        assertThat(server.column(uri.database(), "SELECT body FROM notes ORDER BY id"))
                .containsExactly("O'Brien", "kept");
        DatabaseUri byPlugin = server.createDatabase("plugin");
        try (Database other = Database.open(byPlugin, "test", Duration.ofSeconds(10))) {
            migrations(other).upgrade(null, false);
            migrations(other).downgrade("6", false);
        }
        assertThat(server.query(uri.database(), ROWS)).isEqualTo(server.query(byPlugin.database(), ROWS));
        assertThat(server.column(byPlugin.database(), "SELECT body FROM notes ORDER BY id"))
                .containsExactly("O'Brien", "kept");

        // the session's user in the rows: db-script replaces it in a DO block, where no rows can follow
        scripts.write("U7__purge_notes.sql", "COPY notes (id, body) FROM stdin;\n1\t${flyway:database}\n\\.\n");
        assertThatThrownBy(() -> write("7", "6"))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Cannot write the script, nothing was written: U7__purge_notes.sql line 1 (COPY notes (id, "
                        + "body) FROM stdin) uses ${flyway:user} or ${flyway:database} in a COPY ... FROM stdin or "
                        + "its rows, which db-script cannot write: name the role or database");
    }

    @Test
    void aScriptsConfFileDecidesItsTransactionAsInDbUpgradeAndPsqlRunsIt() throws Exception {
        scripts.write("V6__reindex.sql", "REINDEX INDEX CONCURRENTLY sites_name_idx;\n")
                .write("U6__reindex.sql", "SELECT 1;\n");
        // Flyway would run it in a transaction, which PostgreSQL refuses: no script for it
        assertThatThrownBy(() -> write("5", null))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Cannot write the script, nothing was written: V6__reindex.sql line 1 (REINDEX INDEX "
                        + "CONCURRENTLY sites_name_idx) cannot run in a transaction, and Flyway runs V6__reindex.sql "
                        + "in one (it runs only the statements it knows outside one): write V6__reindex.sql.conf "
                        + "holding executeInTransaction=false, or move it to a revision of its own");
        assertThat(project.resolve("target")).doesNotExist();

        scripts.write("V6__reindex.sql.conf", "executeInTransaction=false\n");
        migrations(database).upgrade("5", false);
        Path file = write("5", null);
        assertThat(read(file))
                .contains("V6__reindex.sql\n-- runs outside a transaction, as Flyway runs it\n")
                .contains("REINDEX INDEX CONCURRENTLY sites_name_idx;");
        SqlFile.Run run = SqlFile.run(uri, file);
        assertThat(run.exitCode()).as(run.runner() + ": " + run.output()).isZero();
        assertThat(migrations(database).status().toText()).isEqualTo("Current revision: 6 (head)");
    }

    @Test
    void onlyThePlaceholdersFlywayReplacesTakeTheSessionsUserInTheScript() throws Exception {
        // Flyway keeps $${flyway:user} as written, and every ${...} of a script whose .conf turns
        // replacement off: psql of the script must leave what Flyway leaves
        scripts.write("V6__comment_notes.sql", "COMMENT ON TABLE notes IS '$${flyway:user} ${flyway:user}';\n")
                .write("U6__comment_notes.sql", "COMMENT ON TABLE notes IS NULL;\n")
                .write(
                        "V7__literal.sql",
                        "CREATE TABLE literal AS SELECT '${flyway:user} ${flyway:database}'::text AS v;\n")
                .write("V7__literal.sql.conf", "placeholderReplacement=false\n")
                .write("U7__literal.sql", "DROP TABLE literal;\n");
        migrations(database).upgrade("5", false);
        Path file = write("5", null);
        SqlFile.Run run = SqlFile.run(uri, file);
        assertThat(run.exitCode()).as(run.runner() + ": " + run.output()).isZero();
        DatabaseUri byFlyway = server.createDatabase("flyway");
        flyway(byFlyway).load().migrate();

        String comment = "SELECT obj_description('notes'::regclass, 'pg_class')";
        assertThat(server.value(uri.database(), comment))
                .isEqualTo(server.value(byFlyway.database(), comment))
                .isEqualTo("$${flyway:user} " + uri.user());
        assertThat(server.value(uri.database(), "SELECT v FROM literal"))
                .isEqualTo(server.value(byFlyway.database(), "SELECT v FROM literal"))
                .isEqualTo("${flyway:user} ${flyway:database}");
        assertThat(server.query(uri.database(), ROWS)).isEqualTo(server.query(byFlyway.database(), ROWS));
    }

    @Test
    void aDowngradeRangeUndoesInOneTransactionAndForgetsTheRows() throws Exception {
        migrations(database).upgrade(null, false);
        Path file = write("5", "1");
        assertThat(file.getFileName().toString()).isEqualTo("downgrade-5-to-1.sql");
        assertThat(read(file)).containsOnlyOnce("BEGIN;").containsOnlyOnce("COMMIT;");
        SqlFile.overJdbc(uri, file);

        DatabaseUri atOne = server.createDatabase("one");
        try (Database other = Database.open(atOne, "test", Duration.ofSeconds(10))) {
            migrations(other).upgrade("1", false);
        }
        assertThat(schema(uri)).isEqualTo(schema(atOne));
        assertThat(server.column(uri.database(), "SELECT version FROM flyway_schema_history"))
                .containsExactly("1");
        assertThat(migrations(database).status().toText()).isEqualTo("Current revision: 1 (4 pending: 2, 3, 4, 5)");
    }

    @Test
    void theGuardRefusesADatabaseAtAnotherRevisionWithNothingChanged() throws Exception {
        migrations(database).upgrade("1", false);
        List<String> before = schema(uri);
        List<List<String>> rows = server.query(uri.database(), ROWS);

        SqlFile.Run run = SqlFile.run(uri, write("2", null));

        assertThat(run.exitCode()).as(run.runner()).isEqualTo(SqlFile.STATEMENT_FAILED);
        assertThat(run.output())
                .contains("ERROR:")
                .contains("The database is at revision 1, not 2 as this script expects: nothing was changed");
        assertThat(schema(uri)).isEqualTo(before);
        assertThat(server.query(uri.database(), ROWS)).isEqualTo(rows);
    }

    @Test
    void aFailingMigrationStopsPsqlAndLeavesTheDatabaseAtThePreviousRevision() throws Exception {
        migrations(database).upgrade("4", false);
        scripts.write("V6__broken.sql", "CREATE TABLE t6 (id int);\nSELECT 1 / 0;\n")
                .write("U6__broken.sql", "DROP TABLE t6;\n");
        List<String> atFour = schema(uri);

        SqlFile.Run run = SqlFile.run(uri, write("4", null));

        assertThat(run.exitCode()).as(run.runner()).isEqualTo(SqlFile.STATEMENT_FAILED);
        assertThat(run.output()).contains("ERROR:").contains("division by zero");
        assertThat(server.column(uri.database(), "SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactly("1", "2", "3", "4", "5");
        assertThat(server.tables(uri.database(), "public")).doesNotContain("t6").contains("notes");
        assertThat(schema(uri)).isNotEqualTo(atFour);
    }

    @Test
    void aMigrationThatChangesTheSearchPathDoesNotMoveTheNextOne() throws Exception {
        scripts.write("V6__elsewhere.sql", "CREATE SCHEMA side;\nSET search_path TO side;\nCREATE TABLE t6 (id int);\n")
                .write("V7__here.sql", "CREATE TABLE t7 (id int);\n");
        SqlFile.overJdbc(uri, write("base", null));

        DatabaseUri byPlugin = server.createDatabase("plugin");
        try (Database other = Database.open(byPlugin, "test", Duration.ofSeconds(10))) {
            migrations(other).upgrade(null, false);
        }
        String where =
                "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_name IN ('t6', 't7') ORDER BY 1";
        assertThat(server.column(uri.database(), where))
                .containsExactly("public.t7", "side.t6")
                .isEqualTo(server.column(byPlugin.database(), where));
        assertThat(server.query(uri.database(), ROWS)).isEqualTo(server.query(byPlugin.database(), ROWS));
    }

    @Test
    void theGuardRefusesAnAppliedScriptEditedSince() throws Exception {
        migrations(database).upgrade("2", false);
        scripts.write(
                "V1__create_users.sql",
                "CREATE TABLE users (id serial PRIMARY KEY, name varchar(99) NOT NULL UNIQUE);\n");
        Path file = write("2", null);

        assertThatThrownBy(() -> SqlFile.overJdbc(uri, file))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith(
                        "ERROR: The database is at revision 2 but revision 1 was applied with checksum ");
        assertThat(server.column(uri.database(), "SELECT version FROM flyway_schema_history"))
                .containsExactly("1", "2");
    }

    @Test
    void aBaseScriptRefusesADatabaseThatHoldsObjectsWithoutHistory() throws Exception {
        server.execute(uri.database(), "CREATE TABLE stray (id int)");
        Path file = write("base", "1");

        assertThatThrownBy(() -> SqlFile.overJdbc(uri, file))
                .isInstanceOf(SQLException.class)
                .hasMessageStartingWith(
                        "ERROR: The database holds objects but no history table public.flyway_schema_history: "
                                + "this script installs an empty database; nothing was changed");
        assertThat(server.tables(uri.database(), "public")).containsExactly("stray");
    }

    @Test
    void dbUpgradeWaitsForTheLocksOfAScriptRunning() throws Exception {
        List<SqlScript.Statement> statements = SqlFile.statements(write("base", null));
        try (Connection running = database.dataSource().getConnection();
                Statement statement = running.createStatement()) {
            statement.execute(statements.get(0).sql());
            statement.execute(statements.get(1).sql());
            Migrations impatient = new Migrations(
                    database.dataSource(), settings(), reporter, new Locking(Duration.ofSeconds(1), null));
            assertThatThrownBy(() -> impatient.upgrade(null, false))
                    .isInstanceOf(EnvironmentException.class)
                    .hasMessageStartingWith(
                            "Gave up after 1 s waiting for the migration lock on public.flyway_schema_history");
            for (SqlScript.Statement each : statements.subList(2, statements.size())) {
                statement.execute(each.sql());
            }
        }
        assertThat(migrations(database).upgrade(null, false).applied()).isEmpty();
        assertThat(migrations(database).status().toText()).isEqualTo("Current revision: 5 (head)");
    }

    @Test
    void badInputIsOneLineAndWritesNothing() {
        assertThatThrownBy(() -> write("9", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Unknown revision 9 (bemserver.from): this project's revisions are 1, 2, 3, 4, 5, or base");
        assertThatThrownBy(() -> write("2", "x"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "Unknown revision x (bemserver.revision): this project's revisions are 1, 2, 3, 4, 5, or base");
        assertThatThrownBy(() -> write("5", "head"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "bemserver.from and bemserver.revision are both 5: there is nothing to script; give the revision "
                                + "the database is at and the one it should reach");
        assertThatThrownBy(() -> write(null, null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "bemserver.from is required: the revision the database is at, or base for an empty database "
                                + "(e.g. -Dbemserver.from=5)");
        scripts.write("U4__index_site_names.sql", "DROP INDEX CONCURRENTLY sites_name_idx;\n");
        assertThatThrownBy(() -> write("5", "3"))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Cannot write the script, nothing was written: U4__index_site_names.sql line 1 (DROP INDEX "
                        + "CONCURRENTLY sites_name_idx) cannot run in a transaction, and a downgrade runs in one, as "
                        + "db-downgrade runs it: rewrite it (DROP INDEX without CONCURRENTLY)");
        try {
            Files.delete(scripts.directory().resolve("U2__create_sites.sql"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThatThrownBy(() -> write("3", "1"))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Cannot write the script, nothing was written: revision 2 has no undo script: write "
                        + "U2__create_sites.sql beside V2__create_sites.sql");
        scripts.write(
                "V6__index_notes.sql",
                "CREATE TABLE tags (id int);\nCREATE INDEX CONCURRENTLY notes_body_idx ON notes (body);\n");
        assertThatThrownBy(() -> write("5", null))
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "Cannot write the script, nothing was written: V6__index_notes.sql line 2 (CREATE INDEX "
                                + "CONCURRENTLY notes_body_idx ON notes (body)) cannot run in a transaction, and the other statements "
                                + "of V6__index_notes.sql can: move it to a revision of its own, or allow it with -Dbemserver.mixed=true");
        assertThat(project.resolve("target")).doesNotExist();
    }

    @Test
    void anUpgradeRefusesRepeatableScriptsByNameAndADowngradeIgnoresThem() throws Exception {
        scripts.write("R__refresh.sql", "SELECT 1;\n");
        assertThatThrownBy(() -> write("1", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "Cannot write the script, nothing was written: src/main/resources/db/migration/R__refresh.sql "
                                + "is a repeatable script, which db-script does not write: run db-upgrade on the database instead, "
                                + "or move the SQL into a versioned migration (V<rev>__<slug>.sql)");
        scripts.write("R__again.sql", "SELECT 2;\n");
        assertThatThrownBy(() -> write("base", "2"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        "Cannot write the script, nothing was written: src/main/resources/db/migration/R__again.sql, "
                                + "src/main/resources/db/migration/R__refresh.sql are repeatable scripts, which db-script does "
                                + "not write: run db-upgrade on the database instead, or move the SQL into a versioned migration "
                                + "(V<rev>__<slug>.sql)");
        assertThat(project.resolve("target")).doesNotExist();

        // db-downgrade leaves repeatable scripts and their rows alone, and so does the script
        migrations(database).upgrade(null, false);
        assertThat(server.column(uri.database(), "SELECT script FROM flyway_schema_history WHERE version IS NULL"))
                .containsExactlyInAnyOrder("R__again.sql", "R__refresh.sql");
        SqlFile.overJdbc(uri, write("5", "3"));
        assertThat(server.column(
                        uri.database(),
                        "SELECT coalesce(version, script) FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactly("1", "2", "3", "R__again.sql", "R__refresh.sql");
        assertThat(migrations(database).status().toText()).isEqualTo("Current revision: 3 (2 pending: 4, 5)");
    }

    @Test
    void theHeaderNamesTheRevisionsTheChecksumsAndHowToRunAndVerify() {
        String sql = read(write("3", null));
        int checksum4 = MigrationFiles.checksum(
                read(scripts.directory().resolve("V4__index_site_names.sql")).getBytes(StandardCharsets.UTF_8));
        assertThat(sql)
                .startsWith(
                        "-- Upgrade of org.example:app:1.0 from revision 3 to revision 5, written by bemserver db-script\n")
                .contains(
                        "-- Run it with: psql -v ON_ERROR_STOP=1 -f upgrade-3-to-5.sql (and your connection options)\n")
                .contains("--   4  V4__index_site_names.sql  " + checksum4 + "\n")
                .contains("-- Verify afterwards: mvn bemserver:db-current prints \"Current revision: 5 (head)\"")
                .contains("\\set ON_ERROR_STOP on\n")
                .contains("-- runs outside a transaction, as Flyway runs it\n");
        assertThat(project.resolve("target/bemserver")).isDirectoryNotContaining("glob:**.tmp");
    }
}
