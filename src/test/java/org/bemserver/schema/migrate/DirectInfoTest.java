package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.Scripts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin's own reading of where the database stands must give Flyway's info line for line,
 * field for field, wherever it answers, and leave every other case to Flyway.
 */
class DirectInfoTest extends EngineTest {

    private Scripts scripts;

    @BeforeEach
    void migrationDirectory() {
        scripts = new Scripts(project.resolve("db/migration"));
    }

    private MigrationSettings settings(String schema) {
        return new MigrationSettings(
                project, List.of("filesystem:db/migration"), List.of(schema), "flyway_schema_history", Map.of());
    }

    private FlywayProject flyway(String schema) {
        return new FlywayProject(
                database.dataSource(),
                settings(schema),
                reporter,
                Locking.DEFAULT,
                ScriptScan.onDemand(settings(schema)));
    }

    private List<Migration> direct(String schema) {
        return DirectInfo.read(
                database.dataSource(),
                new HistoryTable(schema, "flyway_schema_history"),
                MigrationFiles.scan(settings(schema)));
    }

    /** Flyway's info and the direct one, both read now. */
    private void assertSameAsFlyway(String schema) {
        List<Migration> byFlyway = flyway(schema).flywayInfo();
        assertThat(direct(schema)).isNotNull().isEqualTo(byFlyway);
    }

    @Test
    void bemserverCoreBeforeHalfwayAndAtHeadReadsAsFlywayReadsIt() throws Exception {
        scripts.copyAll(Path.of(
                getClass().getResource("/corpus/bemserver-core/db/migration").toURI()));
        assertSameAsFlyway("public");

        flyway("public").migrate(Version.of("0.6"), revision -> {});
        assertSameAsFlyway("public");
        assertThat(direct("public")).filteredOn(m -> m.state().isApplied()).hasSize(5);

        flyway("public").migrate(null, revision -> {});
        assertSameAsFlyway("public");
        assertThat(MigrationStates.status(direct("public")).toText()).isEqualTo("Current revision: 0.21 (head)");
    }

    @Test
    void theRowOfASchemaFlywayCreatedReadsAsFlywayReadsIt() {
        scripts.threeRevisions();
        flyway("app").migrate(Version.of("2"), revision -> {});

        assertThat(server.value(
                        uri.database(), "SELECT type FROM app.flyway_schema_history ORDER BY installed_rank LIMIT 1"))
                .isEqualTo("SCHEMA");
        assertSameAsFlyway("app");
    }

    @Test
    void everyUnusualProjectOrHistoryIsLeftToFlyway() throws Exception {
        scripts.threeRevisions();
        flyway("public").migrate(Version.of("2"), revision -> {});
        assertSameAsFlyway("public");
        Path second = scripts.directory().resolve("V2__create_sites.sql");
        String applied = Files.readString(second);

        // an applied script edited afterwards
        Files.writeString(second, applied + "\n-- edited\n");
        assertThat(direct("public")).isNull();
        Files.writeString(second, applied);

        // renamed afterwards: the file name gives another description
        Files.move(second, second.resolveSibling("V2__create_places.sql"));
        assertThat(direct("public")).isNull();
        Files.move(second.resolveSibling("V2__create_places.sql"), second);

        // missing: the database is ahead of the project
        Files.move(second, project.resolve("V2__create_sites.sql"));
        assertThat(direct("public")).isNull();
        Files.move(project.resolve("V2__create_sites.sql"), second);

        // a script below the newest applied revision that was never applied
        scripts.write("V1_5__late.sql", "CREATE TABLE late (id int);\n");
        assertThat(direct("public")).isNull();
        Files.delete(scripts.directory().resolve("V1_5__late.sql"));

        // a repeatable script
        scripts.write("R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n");
        assertThat(direct("public")).isNull();
        Files.delete(scripts.directory().resolve("R__views.sql"));

        // a failed row
        assertSameAsFlyway("public");
        server.execute(uri.database(), "UPDATE flyway_schema_history SET success = false WHERE version = '2'");
        assertThat(direct("public")).isNull();
        server.execute(uri.database(), "UPDATE flyway_schema_history SET success = true WHERE version = '2'");

        // a baseline row
        server.execute(uri.database(), "UPDATE flyway_schema_history SET type = 'BASELINE' WHERE version = '1'");
        assertThat(direct("public")).isNull();
        server.execute(uri.database(), "UPDATE flyway_schema_history SET type = 'SQL' WHERE version = '1'");

        // a script name the files no longer give
        server.execute(
                uri.database(),
                "UPDATE flyway_schema_history SET script = 'old/V2__create_sites.sql' WHERE version = '2'");
        assertThat(direct("public")).isNull();
        server.execute(
                uri.database(), "UPDATE flyway_schema_history SET script = 'V2__create_sites.sql' WHERE version = '2'");

        assertSameAsFlyway("public");
    }
}
