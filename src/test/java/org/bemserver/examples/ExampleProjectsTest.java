package org.bemserver.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.testing.SchemaFingerprint;
import org.bemserver.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The sample projects keep their promises: migrations and model build the same schema and default
 * rows, and (for the demo) every undo script reverts its revision exactly.
 */
class ExampleProjectsTest {

    private static final Path DEMO = Path.of("examples/bemserver-demo/src/main/resources/db");
    private static final Path CORE = Path.of("src/test/resources/corpus/bemserver-core/db");

    private final TestServer server = TestServer.shared();

    @Test
    void demoMigrationsAndModelBuildTheSameSchemaAndDefaultRows() throws IOException {
        assertMigrationsEqualModel(DEMO, List.of("ts_props", "ts_data_states", "event_categs"));
    }

    @Test
    void bemserverCoreMigrationsAndModelBuildTheSameSchemaAndDefaultRows() throws IOException {
        assertMigrationsEqualModel(
                CORE,
                List.of("ts_props", "ts_data_states", "event_categs", "energies", "ener_end_uses", "ener_prod_techs"));
    }

    @Test
    void everyDemoUndoScriptRevertsItsRevision() throws IOException {
        List<Path> upgrades = scripts(DEMO.resolve("migration"), "V");
        assertThat(upgrades).hasSizeGreaterThanOrEqualTo(6);
        for (int k = 1; k <= upgrades.size(); k++) {
            DatabaseUri uri = server.createDatabase("demo_stairway_" + k);
            try (Database database = Database.open(uri, "test", Duration.ofSeconds(10))) {
                Migrations migrations = migrations(database, DEMO.resolve("migration"));
                if (k > 1) {
                    migrations.upgrade(String.valueOf(k - 1), false);
                }
                List<String> before = SchemaFingerprint.of(server, uri.database(), "public");
                migrations.upgrade(String.valueOf(k), false);
                server.execute(
                        uri.database(),
                        Files.readString(DEMO.resolve("migration")
                                .resolve(upgrades.get(k - 1)
                                        .getFileName()
                                        .toString()
                                        .replaceFirst("^V", "U"))));
                assertThat(SchemaFingerprint.of(server, uri.database(), "public"))
                        .as("schema after V%d then U%d", k, k)
                        .isEqualTo(before);
            }
        }
    }

    private void assertMigrationsEqualModel(Path root, List<String> referenceTables) throws IOException {
        DatabaseUri upgraded = server.createDatabase("upgraded");
        try (Database database = Database.open(upgraded, "test", Duration.ofSeconds(10))) {
            migrations(database, root.resolve("migration")).upgrade(null, false);
        }
        DatabaseUri fromModel = server.createDatabase("from_model");
        for (Path file : scripts(root.resolve("model"), "")) {
            server.execute(fromModel.database(), Files.readString(file));
        }

        List<String> expected = SchemaFingerprint.of(server, upgraded.database(), "public");
        assertThat(expected).isNotEmpty();
        assertThat(SchemaFingerprint.of(server, fromModel.database(), "public")).isEqualTo(expected);
        for (String table : referenceTables) {
            List<String> rows = SchemaFingerprint.rows(server, upgraded.database(), table);
            assertThat(rows).as(table).isNotEmpty();
            assertThat(SchemaFingerprint.rows(server, fromModel.database(), table))
                    .as(table)
                    .isEqualTo(rows);
        }
    }

    private static Migrations migrations(Database database, Path directory) {
        MigrationSettings settings = new MigrationSettings(
                Path.of("").toAbsolutePath(),
                List.of(directory.toString()),
                List.of("public"),
                "flyway_schema_history",
                Map.of());
        return new Migrations(database.dataSource(), settings, Reporter.silent());
    }

    /** The .sql files of a directory whose name starts with {@code prefix}, in version (or name) order. */
    private static List<Path> scripts(Path directory, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                            && f.toString().endsWith(".sql"))
                    .sorted((a, b) -> prefix.isEmpty()
                            ? a.getFileName().compareTo(b.getFileName())
                            : Integer.compare(revision(a), revision(b)))
                    .toList();
        }
    }

    private static int revision(Path script) {
        String name = script.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }
}
