package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.MigrationException;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.Scripts;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the plugin reads and runs the scripts itself (db-upgrade's direct path, the undo scripts,
 * the stairway, db-lint, db-script), it does what Flyway does with the same project: each case
 * runs Flyway's own migrate on a database of its own and compares.
 */
class FlywayParityTest extends EngineTest {

    private static final String LOCATION = "src/main/resources/db/migration";

    private Scripts scripts;

    @BeforeEach
    void migrationDirectory() {
        scripts = new Scripts(project.resolve(LOCATION));
    }

    private Migrations migrations(Map<String, String> placeholders) {
        return migrations(placeholders, true);
    }

    private Migrations migrations(Map<String, String> placeholders, boolean placeholderReplacement) {
        return new Migrations(
                database.dataSource(),
                new MigrationSettings(
                        project,
                        List.of(LOCATION),
                        List.of("public"),
                        "flyway_schema_history",
                        placeholders,
                        false,
                        placeholderReplacement),
                reporter);
    }

    /** Flyway's own migrate of the same scripts, on a database of its own: that database's name. */
    private String byFlyway(Map<String, String> placeholders) {
        return byFlyway(placeholders, true);
    }

    private String byFlyway(Map<String, String> placeholders, boolean placeholderReplacement) {
        var other = server.createDatabase("flyway_reference");
        FluentConfiguration configuration = Flyway.configure();
        // its lock out of a transaction, which a statement run CONCURRENTLY would wait for, as the plugin has it
        configuration
                .getConfigurationExtension(PostgreSQLConfigurationExtension.class)
                .setTransactionalLock(false);
        configuration
                .dataSource(other.jdbcUrl(), other.user(), other.password())
                .locations("filesystem:" + project.resolve(LOCATION))
                .schemas("public")
                .placeholders(placeholders)
                .placeholderReplacement(placeholderReplacement)
                .load()
                .migrate();
        return other.database();
    }

    @Test
    void aScriptWithAnUpperCaseExtensionIsAppliedAsFlywayAppliesIt() {
        scripts.write("V1__a.sql", "CREATE TABLE a (id int);\n").write("V2__b.SQL", "CREATE TABLE b (id int);\n");
        String reference = byFlyway(Map.of());

        migrations(Map.of()).upgrade(null, false);

        assertThat(server.tables(uri.database(), "public"))
                .containsExactlyElementsOf(server.tables(reference, "public"))
                .contains("b");
    }

    @Test
    void aCallbackWithAnUpperCaseExtensionIsACallbackAsInFlyway() {
        scripts.write("V1__a.sql", "CREATE TABLE a (id int);\n")
                .write("afterMigrate.SQL", "CREATE TABLE IF NOT EXISTS after_migrate (id int);\n");
        String reference = byFlyway(Map.of());
        assertThat(server.tables(reference, "public")).contains("after_migrate");

        // handed to Flyway, which runs it; not refused as a name that is no migration's
        migrations(Map.of()).upgrade(null, false);

        assertThat(server.tables(uri.database(), "public"))
                .containsExactlyElementsOf(server.tables(reference, "public"));
    }

    @Test
    void aUserPlaceholderWithFlywaysPrefixIsRefusedAsFlywayRefusesIt() {
        Map<String, String> placeholders = Map.of("flyway:defaultSchema", "mine");
        scripts.write("V1__t.sql", "CREATE TABLE t AS SELECT '${flyway:defaultSchema}'::text AS v;\n");
        assertThatThrownBy(() -> byFlyway(placeholders)).hasMessageContaining("prefix is reserved");

        assertThatThrownBy(() -> migrations(placeholders))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Invalid placeholder flyway:defaultSchema: the 'flyway:' prefix is reserved for "
                        + "Flyway's own placeholders, as Flyway says");
    }

    @Test
    void placeholderReplacementOffRunsEveryScriptAsWrittenAsFlywayDoes() {
        // what replacement refuses (a ${ that no } closes, a placeholder without a value) and what it
        // replaces (a user's placeholder, Flyway's own) all stay as written; the second script runs
        // outside a transaction, a plan db-upgrade hands to Flyway's migrate
        Map<String, String> placeholders = Map.of("name", "x");
        String text = "'${name} ${flyway:user} ${flyway:database} ${unknown} ${ not closed'";
        scripts.write("V1__t.sql", "CREATE TABLE t AS SELECT " + text + "::text AS v;\n")
                .write("V2__u.sql", "CREATE TABLE u AS SELECT " + text + "::text AS v;\n")
                .write("V2__u.sql.conf", "executeInTransaction=false\n")
                // a script's own setting wins over the project's
                .write("V3__w.sql", "CREATE TABLE w AS SELECT '${name}'::text AS v;\n")
                .write("V3__w.sql.conf", "placeholderReplacement=true\n");
        String reference = byFlyway(placeholders, false);
        assertThatThrownBy(() -> migrations(placeholders, true).upgrade(null, true))
                .hasMessageContaining("holds a ${ that no } closes");

        migrations(placeholders, false).upgrade("1", false);
        assertThat(server.value(uri.database(), "SELECT v FROM t"))
                .isEqualTo(server.value(reference, "SELECT v FROM t"))
                .isEqualTo(text.substring(1, text.length() - 1));
        // the plugin's own reading of the scripts (the dry run's) says the same
        assertThat(migrations(placeholders, false).upgrade(null, true).dryRunSql())
                .contains("CREATE TABLE u AS SELECT " + text + "::text AS v;")
                .contains("CREATE TABLE w AS SELECT 'x'::text AS v;");
        migrations(placeholders, false).upgrade(null, false);
        assertThat(server.value(uri.database(), "SELECT v FROM u"))
                .isEqualTo(server.value(reference, "SELECT v FROM u"))
                .isEqualTo(text.substring(1, text.length() - 1));
        assertThat(server.value(uri.database(), "SELECT v FROM w"))
                .isEqualTo(server.value(reference, "SELECT v FROM w"))
                .isEqualTo("x");
        // the checksums are those of the files as written, whatever the setting: Flyway validates them alike
        assertThat(server.value(
                        uri.database(),
                        "SELECT string_agg(checksum::text, ',' ORDER BY installed_rank) "
                                + "FROM flyway_schema_history"))
                .isEqualTo(server.value(
                        reference,
                        "SELECT string_agg(checksum::text, ',' ORDER BY installed_rank) "
                                + "FROM flyway_schema_history"));
    }

    @Test
    void aDoubledDollarBeforeAPlaceholderKeepsItAsFlywayDoes() {
        Map<String, String> placeholders = Map.of("name", "x");
        scripts.write("V1__t.sql", "CREATE TABLE t AS SELECT 'a $${name} b ${name}'::text AS v;\n");
        String reference = byFlyway(placeholders);

        migrations(placeholders).upgrade(null, false);

        assertThat(server.value(uri.database(), "SELECT v FROM t"))
                .isEqualTo(server.value(reference, "SELECT v FROM t"))
                .isEqualTo("a $${name} b x");
    }

    @Test
    void theFilenamePlaceholderOfAScriptInASubdirectoryIsItsFileNameAsInFlyway() throws Exception {
        Files.createDirectories(project.resolve(LOCATION).resolve("2026"));
        Files.writeString(
                project.resolve(LOCATION).resolve("2026/V1__t.sql"),
                "CREATE TABLE t AS SELECT '${flyway:filename}'::text AS v;\n");
        String reference = byFlyway(Map.of());

        migrations(Map.of()).upgrade(null, false);

        assertThat(server.value(uri.database(), "SELECT v FROM t"))
                .isEqualTo(server.value(reference, "SELECT v FROM t"))
                .isEqualTo("V1__t.sql");
    }

    @Test
    void aPlaceholderWithSpacesOrNoEndIsRefusedAsFlywayRefusesIt() {
        Map<String, String> refusals = Map.of(
                "'a template: ${ name }'",
                "V1__t.sql uses the placeholder ${ name } with no value: set it with <placeholders> or "
                        + "-Dbemserver.placeholders. name =...",
                "'an end missing: ${name'",
                "V1__t.sql holds a ${ that no } closes: close it, or keep it as written with "
                        + "bemserver.placeholderReplacement=false (Flyway refuses the script too)",
                "'${flyway:databse}'",
                "V1__t.sql uses the placeholder ${flyway:databse} with no value: Flyway has no placeholder "
                        + "${flyway:databse}: check its name");
        refusals.forEach((text, refusal) -> {
            scripts.write("V1__t.sql", "CREATE TABLE t (id int);\nCOMMENT ON TABLE t IS " + text + ";\n");
            assertThatThrownBy(() -> byFlyway(Map.of())).as(text).hasMessageContaining("placeholder");

            assertThatThrownBy(() -> migrations(Map.of()).upgrade(null, false))
                    .as(text)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage(refusal);
            assertThat(server.tables(uri.database(), "public")).as(text).doesNotContain("t");
        });
    }

    @Test
    void aStatementFlywayRunsInATransactionWherePostgresqlRefusesItIsRefusedBeforeAnythingRuns() {
        // PostgreSQL refuses REINDEX ... CONCURRENTLY in a transaction; Flyway does not know it, and
        // runs the script in one: its migrate fails there, after the revisions before it
        scripts.write("V1__a.sql", "CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);\n")
                .write("V2__reindex.sql", "REINDEX INDEX CONCURRENTLY a_id;\n");
        assertThatThrownBy(() -> byFlyway(Map.of())).hasMessageContaining("cannot run inside a transaction block");

        assertThatThrownBy(() -> migrations(Map.of()).upgrade(null, false))
                .isInstanceOf(MigrationException.class)
                .hasMessage("V2__reindex.sql line 1 (REINDEX INDEX CONCURRENTLY a_id) cannot run in a transaction, "
                        + "and Flyway runs V2__reindex.sql in one (it runs only the statements it knows outside one): "
                        + "write V2__reindex.sql.conf holding executeInTransaction=false, or move it to a revision of "
                        + "its own; nothing was changed");
        assertThat(server.tables(uri.database(), "public")).isEmpty();
        // the dry run says the same
        assertThatThrownBy(() -> migrations(Map.of()).upgrade(null, true)).hasMessageContaining("nothing was changed");
    }

    @Test
    void aScriptsConfFileTakesItOutOfTheTransactionAndTurnsItsPlaceholdersOffAsInFlyway() throws Exception {
        scripts.write("V1__a.sql", "CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);\n")
                .write("V2__reindex.sql", "REINDEX INDEX CONCURRENTLY a_id;\nCREATE TABLE b (id int);\n")
                .write("V2__reindex.sql.conf", "# Flyway's own file\nexecuteInTransaction=false\n")
                .write("V3__literal.sql", "CREATE TABLE t AS SELECT '${not_a_placeholder}'::text AS v;\n")
                .write("V3__literal.sql.conf", "placeholderReplacement = false\nencoding=UTF-8\n");
        String reference = byFlyway(Map.of());

        UpgradeResult dryRun = migrations(Map.of()).upgrade(null, true);
        assertThat(dryRun.dryRunSql())
                .contains("V2__reindex.sql\n-- runs outside a transaction\nREINDEX INDEX CONCURRENTLY a_id;\n")
                .contains("SELECT '${not_a_placeholder}'::text AS v;");
        migrations(Map.of()).upgrade(null, false);

        assertThat(server.tables(uri.database(), "public"))
                .containsExactlyElementsOf(server.tables(reference, "public"))
                .contains("b", "t");
        assertThat(server.value(uri.database(), "SELECT v FROM t"))
                .isEqualTo(server.value(reference, "SELECT v FROM t"))
                .isEqualTo("${not_a_placeholder}");
    }

    @Test
    void aConfFileIsFoundWhateverItsCaseAsInFlywayAndItsPlaceholdersAreNotReplaced() {
        scripts.write("V1__a.sql", "CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);\n")
                .write("V2__reindex.SQL", "REINDEX INDEX CONCURRENTLY a_id;\nCREATE TABLE b (id int);\n")
                .write("v2__REINDEX.sql.Conf", "executeInTransaction=false\n");
        String reference = byFlyway(Map.of());

        assertThat(migrations(Map.of()).upgrade(null, true).dryRunSql())
                .contains("V2__reindex.SQL\n-- runs outside a transaction\nREINDEX INDEX CONCURRENTLY a_id;\n");
        migrations(Map.of()).upgrade(null, false);

        assertThat(server.tables(uri.database(), "public"))
                .containsExactlyElementsOf(server.tables(reference, "public"))
                .contains("b");

        // beside its script, Flyway reads the file as written, and refuses a placeholder in it
        scripts.write("V3__c.sql", "CREATE TABLE c (id int);\n")
                .write("V3__c.sql.conf", "executeInTransaction=${in_transaction}\n");
        Map<String, String> placeholders = Map.of("in_transaction", "false");
        assertThatThrownBy(() -> byFlyway(placeholders))
                .hasMessageContaining("executeInTransaction")
                .hasMessageContaining("${in_transaction}");
        assertThatThrownBy(() -> migrations(placeholders).upgrade(null, true))
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "The migrations do not match the database: src/main/resources/db/migration/V3__c.sql.conf sets executeInTransaction=${in_transaction}: "
                                + "write true or false (placeholders are not replaced in a .conf file, as in Flyway)");
    }

    @Test
    void aConfFileIsReadWithItsBackslashesAsWrittenAsFlywayReadsIt() {
        // Flyway doubles every backslash before it loads the properties: no escape is read
        scripts.write("V1__a.sql", "CREATE TABLE a (id int);\n")
                .write("V1__a.sql.conf", "executeInTransaction=fals\\u0065\n");
        assertThatThrownBy(() -> byFlyway(Map.of())).hasMessageContaining("fals\\u0065");

        assertThatThrownBy(() -> migrations(Map.of()).upgrade(null, false))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("src/main/resources/db/migration/V1__a.sql.conf sets "
                        + "executeInTransaction=fals\\u0065: write true or false");
        assertThat(server.tables(uri.database(), "public")).isEmpty();
    }

    @Test
    void aConfFileFlywayWouldRefuseStopsEveryRunBeforeAnythingRuns() {
        scripts.write("V1__a.sql", "CREATE TABLE a (id int);\n")
                .write("V1__a.sql.conf", "executeInTransaction=maybe\nshouldExecute=true\n")
                .write("V2__b.sql", "CREATE TABLE b (id int);\n")
                .write("V2__b.sql.conf", "executeInTransaction=\\u00zz\n")
                .write("V2__b.sql.CONF", "executeInTransaction=false\n");

        assertThatThrownBy(() -> migrations(Map.of()).upgrade(null, false))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("src/main/resources/db/migration/V1__a.sql.conf sets shouldExecute, which the "
                        + "plugin does not read: remove it (a script's .conf may set executeInTransaction, "
                        + "placeholderReplacement, encoding)")
                .hasMessageContaining("src/main/resources/db/migration/V1__a.sql.conf sets "
                        + "executeInTransaction=maybe: write true or false")
                // two files for one script, whatever their case: Flyway reads one, the other's edits would be lost
                .hasMessageContaining("src/main/resources/db/migration/V2__b.sql.CONF and "
                        + "src/main/resources/db/migration/V2__b.sql.conf are both the .conf of one script name "
                        + "(Flyway reads only one): keep one")
                .hasMessageContaining("src/main/resources/db/migration/V2__b.sql.conf sets "
                        + "executeInTransaction=\\u00zz: write true or false");
        assertThat(server.tables(uri.database(), "public")).isEmpty();
    }
}
