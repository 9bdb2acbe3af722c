package org.bemserver.schema.revision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.diff.SchemaComparison;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.schema.model.ModelFiles;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.Scripts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RevisionWriterTest extends EngineTest {

    private static final Path DEMO = Path.of("examples/bemserver-demo/src/main/resources/db");
    private static final String MIGRATIONS = "src/main/resources/db/migration";
    private static final String MODEL = "src/main/resources/db/model";

    private MigrationSettings settings;

    @BeforeEach
    void demoProject() {
        new Scripts(project.resolve(MIGRATIONS)).copyAll(DEMO.resolve("migration"));
        new Scripts(project.resolve(MODEL)).copyAll(DEMO.resolve("model"));
        settings = new MigrationSettings(
                project, List.of(MIGRATIONS), List.of("public"), "flyway_schema_history", Map.of());
    }

    private List<String> files() {
        try (Stream<Path> files = Files.walk(project)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> project.relativize(f).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void writesTheNextRevisionWithItsUndoForTheUserToFill() throws IOException {
        RevisionWriter.plan(settings, "Add site timezone", null, reporter).writeEmpty();
        Path migration = project.resolve(MIGRATIONS).resolve("V8__add_site_timezone.sql");
        assertThat(Files.readString(migration))
                .startsWith("-- Revision 8: Add site timezone\n-- Created ")
                .contains("by db-revision; undo in U8__add_site_timezone.sql\n-- Write the migration here.\n");
        assertThat(Files.readString(project.resolve(MIGRATIONS).resolve("U8__add_site_timezone.sql")))
                .startsWith("-- Undo of revision 8: Add site timezone\n");
        assertThat(reporter.infos)
                .containsExactly("Wrote " + MIGRATIONS + "/V8__add_site_timezone.sql and "
                        + "U8__add_site_timezone.sql (revision 8): write the migration and its undo, then try them with db-upgrade "
                        + "and db-downgrade -Dbemserver.revision=-1 (db-check proves the undo reverts it)");
        // until it holds a statement, the new revision is refused by db-upgrade
        Migrations migrations = new Migrations(database.dataSource(), settings, reporter);
        assertThat(migrations.status().problems())
                .anySatisfy(problem -> assertThat(problem).contains("V8__add_site_timezone.sql holds no statement"));
        // the next one goes above it
        RevisionWriter.plan(settings, "Drop legacy", null, reporter).writeEmpty();
        assertThat(files()).contains(MIGRATIONS + "/V9__drop_legacy.sql", MIGRATIONS + "/U9__drop_legacy.sql");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Add site timezone|add_site_timezone",
                "  Ajouter l'été à Zürich  |ajouter_l_ete_a_zurich",
                "Use sites/buildings \"FK\" (v2)|use_sites_buildings_fk_v2",
                "../../etc/passwd|etc_passwd",
                "C:\\Windows\\system32|c_windows_system32",
                "DROP TABLE users; --|drop_table_users",
                "ﬁle ①|file_1",
                "Split the timeseries table into one table per data state and keep a view for the old name|"
                        + "split_the_timeseries_table_into_one_table_per_data",
            })
    void slugsAreSafeFileNames(String message, String slug) {
        assertThat(NewRevision.slug(message)).isEqualTo(slug).matches("[a-z0-9_]{1,50}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "!!!",
                "../",
                "/",
                "'\"`",
                "日本語のメッセージ",
                "line one\nline two",
                "tab\there",
                "nul\u0000byte",
                "bell\u0007"
            })
    void badMessagesAreRefusedWithNothingWritten(String message) {
        List<String> before = files();
        assertThatThrownBy(() ->
                        RevisionWriter.plan(settings, message, null, reporter).writeEmpty())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("bemserver.message")
                .hasMessageContaining("e.g. -Dbemserver.message=\"Add site timezone\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void aMissingOrHugeMessageIsRefused() {
        assertThatThrownBy(() -> NewRevision.slug(null))
                .hasMessage("bemserver.message is required: say what the revision "
                        + "does, e.g. -Dbemserver.message=\"Add site timezone\"");
        List<String> before = files();
        assertThatThrownBy(() -> RevisionWriter.plan(settings, "x".repeat(10_000), null, reporter)
                        .writeEmpty())
                .hasMessage("bemserver.message is 10000 characters long: keep it to 200 (it names the files); put the "
                        + "details in the script as comments");
        assertThat(files()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "abc|bemserver.revId 'abc' is not a revision: use digits separated by dots (5, 5.1, 2026.11.25.1), or leave it out for the next integer",
                "-0|bemserver.revId '-0' is not a revision: use digits separated by dots (5, 5.1, 2026.11.25.1), or leave it out for the next integer",
                "--1|bemserver.revId '--1' is not a revision: use digits separated by dots (5, 5.1, 2026.11.25.1), or leave it out for the next integer",
                "1..2|bemserver.revId '1..2' is not a revision: use digits separated by dots (5, 5.1, 2026.11.25.1), or leave it out for the next integer",
                "3|Revision 3 already exists (src/main/resources/db/migration/V3__create_sites_and_buildings.sql): choose another bemserver.revId, or leave it out for the next integer",
                "3.0|Revision 3.0 already exists (src/main/resources/db/migration/V3__create_sites_and_buildings.sql): choose another bemserver.revId, or leave it out for the next integer",
                "6.5|Revision 6.5 is below the head revision 7: databases already at 7 would never apply it; choose a revision above 7, or leave bemserver.revId out for the next integer",
            })
    void badRevisionIdsAreRefusedWithNothingWritten(String revId, String message) {
        List<String> before = files();
        assertThatThrownBy(() -> RevisionWriter.plan(settings, "Add site timezone", revId, reporter)
                        .writeEmpty())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(message);
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void aGivenRevisionIdIsUsedAndAnOrphanUndoIsNotOverwritten() throws IOException {
        RevisionWriter.plan(settings, "Add site timezone", "2026.11.25.1", reporter)
                .writeEmpty();
        assertThat(files())
                .contains(
                        MIGRATIONS + "/V2026.11.25.1__add_site_timezone.sql",
                        MIGRATIONS + "/U2026.11.25.1__add_site_timezone.sql");
        Files.writeString(project.resolve(MIGRATIONS).resolve("U2027__forgotten.sql"), "DROP TABLE x;\n");
        List<String> before = files();
        assertThatThrownBy(() ->
                        RevisionWriter.plan(settings, "Again", "2027", reporter).writeEmpty())
                .hasMessage(
                        "Revision 2027 already exists (src/main/resources/db/migration/U2027__forgotten.sql): choose "
                                + "another bemserver.revId, or leave it out for the next integer");
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void aFileThatAppearsMeanwhileIsNeverOverwrittenAndNoHalfPairIsLeft() throws IOException {
        RevisionWriter writer = RevisionWriter.plan(settings, "Add site timezone", null, reporter);
        Path undo = writer.revision().undo();
        Files.writeString(undo, "-- a teammate's file\n");
        assertThatThrownBy(writer::writeEmpty)
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(
                        MIGRATIONS + "/U8__add_site_timezone.sql already exists: nothing was written; choose another "
                                + "bemserver.message or bemserver.revId");
        assertThat(Files.readString(undo)).isEqualTo("-- a teammate's file\n");
        assertThat(writer.revision().migration()).doesNotExist();
        assertThat(files()).noneMatch(name -> name.endsWith(".part"));
    }

    @Test
    void aNewProjectGetsRevisionOneAndItsLocation() throws IOException {
        MigrationSettings fresh = new MigrationSettings(
                project.resolve("fresh"),
                List.of("filesystem:db/migration"),
                List.of("public"),
                "flyway_schema_history",
                Map.of());
        RevisionWriter.plan(fresh, "Create users", null, reporter).writeEmpty();
        assertThat(project.resolve("fresh/db/migration/V1__create_users.sql")).exists();
        assertThat(project.resolve("fresh/db/migration/U1__create_users.sql")).exists();
    }

    private ProjectBuilds builds() {
        return new ProjectBuilds(settings, ModelFiles.list(project, MODEL), List.of("ts_props"));
    }

    @Test
    void autogenerateWritesAProvenMigrationAndUndoFromTheModel() throws IOException {
        Path tables = project.resolve(MODEL).resolve("020-tables.sql");
        Files.writeString(
                tables,
                Files.readString(tables) + "\nALTER TABLE sites ADD COLUMN altitude real DEFAULT 0 NOT NULL;\n"
                        + "CREATE INDEX ix_sites_altitude ON sites (altitude);\n");
        Path rows = project.resolve(MODEL).resolve("900-default-rows.sql");
        Files.writeString(rows, Files.readString(rows).replace("'Minimum expected value'", "'Lowest expected value'"));
        try (Throwaway throwaway = Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10))) {
            RevisionWriter.plan(settings, "Add site altitude", null, reporter).writeGenerated(builds(), throwaway);
        }
        String migration = Files.readString(project.resolve(MIGRATIONS).resolve("V8__add_site_altitude.sql"));
        assertThat(migration)
                .contains("-- Generated by db-revision -Dbemserver.autogenerate=true")
                .contains("ADD COLUMN altitude real DEFAULT 0 NOT NULL")
                .contains("Lowest expected value")
                .doesNotContain("WARNING");
        assertThat(reporter.infos)
                .contains(
                        "  + column public.sites.altitude",
                        "  + index public.ix_sites_altitude",
                        "Proven on throwaway databases: the migration turns head into the model, and its undo turns it back");
        assertThat(reporter.warnings)
                .containsExactly(
                        "The generated undo has 1 statement marked -- WARNING (data loss, a known limit, or an order to "
                                + "review): read it "
                                + "before you commit it");
        // the real path: db-upgrade applies the new revision, and the database then equals the model
        Migrations migrations = new Migrations(database.dataSource(), settings, reporter);
        migrations.upgrade(null, false);
        Snapshot upgraded = builds().snapshot(database);
        var modelled = server.createDatabase("modelled");
        try (var model = org.bemserver.schema.connect.Database.open(modelled, "test", Duration.ofSeconds(10))) {
            builds().setUp(model, reporter);
            assertThat(SchemaComparison.compare(upgraded, builds().snapshot(model))
                            .hasDifferences(false))
                    .isFalse();
        }
        migrations.downgrade("-1", false);
        assertThat(server.value(
                        uri.database(),
                        "SELECT count(*) FROM information_schema.columns WHERE column_name = " + "'altitude'"))
                .isEqualTo("0");
        assertThat(server.value(uri.database(), "SELECT description FROM ts_props WHERE id = 1"))
                .isEqualTo("Minimum expected value");
    }

    @Test
    void aLoweredExtensionThatColumnsUseIsReportedAsAKnownLimitNotAsAFailedProof() throws IOException {
        // the migrations create hstore at its default version (1.8 on PostgreSQL 17), the model asks for 1.7
        Files.writeString(
                project.resolve(MIGRATIONS).resolve("V8__add_site_tags.sql"),
                "CREATE EXTENSION hstore;\nALTER TABLE sites ADD COLUMN tags hstore;\n");
        Files.writeString(
                project.resolve(MIGRATIONS).resolve("U8__add_site_tags.sql"),
                "ALTER TABLE sites DROP COLUMN tags;\nDROP EXTENSION hstore;\n");
        Path tables = project.resolve(MODEL).resolve("020-tables.sql");
        Files.writeString(
                tables,
                "CREATE EXTENSION hstore VERSION '1.7';\n" + Files.readString(tables)
                        + "\nALTER TABLE sites ADD COLUMN tags hstore;\n");
        try (Throwaway throwaway = Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10))) {
            RevisionWriter.plan(settings, "Lower hstore", null, reporter).writeGenerated(builds(), throwaway);
        }
        String limit = "Known limit: lowers extension hstore from 1.8 to 1.7: PostgreSQL has no downgrade path for "
                + "it, so it is dropped and created again at 1.7, with the views, functions and indexes that use it; "
                + "columns of its types make this drop fail: migrate them to another type first, or keep the newer "
                + "version (data loss in any table the extension owns) (on a throwaway database the migration fails "
                + "at line 4: SQL state 2BP01: cannot drop extension hstore because other objects depend on it)";
        assertThat(reporter.warnings)
                .containsExactly(
                        limit,
                        "Edit the generated files until db-check passes",
                        "The generated migration has 1 statement marked -- WARNING (data loss, a known limit, or an "
                                + "order to review): read it before you commit it");
        String migration = Files.readString(project.resolve(MIGRATIONS).resolve("V9__lower_hstore.sql"));
        assertThat(migration)
                .contains("\n-- WARNING: " + limit)
                .doesNotContain("did not do its job")
                .contains("\n-- WARNING: known limit: lowers extension hstore from 1.8 to 1.7: ")
                .contains("\nDROP EXTENSION hstore;\n");
    }

    @Test
    void autogenerateWritesNothingWhenTheModelAndTheMigrationsAgree() {
        List<String> before = files();
        try (Throwaway throwaway = Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10))) {
            RevisionWriter.plan(settings, "Nothing", null, reporter).writeGenerated(builds(), throwaway);
        }
        assertThat(files()).isEqualTo(before);
        assertThat(reporter.infos)
                .contains("No difference between the migrations at head and the model: no revision written");
    }
}
