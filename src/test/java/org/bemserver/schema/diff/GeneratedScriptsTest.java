package org.bemserver.schema.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.catalog.SnapshotReader;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.migrate.SqlScript;
import org.bemserver.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves every generated script on fixture cases ({@code src/test/resources/diff-cases/<case>/a.sql}
 * and {@code b.sql}): the script from A to B, run on A in one transaction, gives a database whose
 * snapshot equals B's; the script from B to A, run after it, gives A back; and comparing the
 * result with B again finds nothing.
 */
class GeneratedScriptsTest {

    private static final Path CASES = Path.of("src/test/resources/diff-cases");

    private final TestServer server = TestServer.shared();

    @BeforeAll
    static void roles() {
        TestServer.shared()
                .execute(
                        "postgres",
                        "DO $$ BEGIN CREATE ROLE bem_diff_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    }

    /** The cases to run, all unless {@code -Ddiff.cases=name,prefix*} names some (to try one case alone). */
    static Stream<String> cases() throws IOException {
        List<String> only = List.of(System.getProperty("diff.cases", "*").split(","));
        try (Stream<Path> directories = Files.list(CASES)) {
            return directories
                    .filter(Files::isDirectory)
                    .map(d -> d.getFileName().toString())
                    .filter(name -> only.stream()
                            .anyMatch(o ->
                                    o.endsWith("*") ? name.startsWith(o.substring(0, o.length() - 1)) : name.equals(o)))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theScriptTurnsAIntoBAndTheReverseScriptTurnsItBack(String name) throws IOException {
        Path directory = CASES.resolve(name);
        String a = Files.readString(directory.resolve("a.sql"));
        String b = Files.readString(directory.resolve("b.sql"));
        List<String> references = Files.exists(directory.resolve("reference-tables"))
                ? Files.readAllLines(directory.resolve("reference-tables")).stream()
                        .filter(l -> !l.isBlank())
                        .toList()
                : List.of();

        Snapshot snapshotA = snapshot(database(a), references);
        Snapshot snapshotB = snapshot(database(b), references);
        assertThat(SchemaComparison.compare(snapshotA, snapshotB).hasDifferences(false))
                .as("the case shows a difference")
                .isTrue();

        MigrationScript up = ScriptGenerator.generate(
                snapshotA, snapshotB, TestServer.shared().major());
        MigrationScript down = ScriptGenerator.generate(
                snapshotB, snapshotA, TestServer.shared().major());
        // every statement's place comes from the dependency rules, never from the cycle fallback
        assertThat(up.render() + down.render())
                .as("up:%n%s%ndown:%n%s", up.render(), down.render())
                .doesNotContain("could not be derived");
        DatabaseUri migrated = database(a);
        apply(migrated, up, "up");
        Snapshot afterUp = snapshot(migrated, references);
        assertThat(SchemaComparison.compare(afterUp, snapshotB).report())
                .as("A + up, against B; up was:%n%s", up.render())
                .allMatch(line -> line.startsWith("~ column order"));
        assertThat(ScriptGenerator.generate(
                                afterUp, snapshotB, TestServer.shared().major())
                        .isEmpty())
                .as("re-diff after up")
                .isTrue();

        apply(migrated, down, "down");
        assertThat(SchemaComparison.compare(snapshot(migrated, references), snapshotA)
                        .report())
                .as("A + up + down, against A; down was:%n%s", down.render())
                .allMatch(line -> line.startsWith("~ column order"));
    }

    /**
     * bemserver-core's real history: for each revision, the script generated from the schema before
     * it to the schema after it (default rows included) must do what the revision does, and its
     * reverse must undo it.
     */
    @org.junit.jupiter.api.Test
    void everyBemserverCoreRevisionCanBeWrittenFromTheSchemas() throws Exception {
        Path corpus = Path.of(
                getClass().getResource("/corpus/bemserver-core/db/migration").toURI());
        List<String> references =
                List.of("ts_props", "ts_data_states", "event_categs", "energies", "ener_end_uses", "ener_prod_techs");
        List<String> revisions = List.of(
                "0.1", "0.3", "0.3.1", "0.4", "0.6", "0.8", "0.10", "0.11", "0.12", "0.13", "0.14", "0.15", "0.21");
        String previous = null;
        for (String revision : revisions) {
            DatabaseUri before = upgraded(corpus, previous);
            DatabaseUri after = upgraded(corpus, revision);
            Snapshot snapshotBefore = snapshot(before, references);
            Snapshot snapshotAfter = snapshot(after, references);
            MigrationScript up = ScriptGenerator.generate(
                    snapshotBefore, snapshotAfter, TestServer.shared().major());
            apply(before, up, "up to " + revision);
            assertThat(SchemaComparison.compare(snapshot(before, references), snapshotAfter)
                            .report())
                    .as("revision %s regenerated:%n%s", revision, up.render())
                    .allMatch(line -> line.startsWith("~ column order"));
            MigrationScript down = ScriptGenerator.generate(
                    snapshotAfter, snapshotBefore, TestServer.shared().major());
            apply(before, down, "down from " + revision);
            assertThat(SchemaComparison.compare(snapshot(before, references), snapshotBefore)
                            .report())
                    .as("revision %s undone:%n%s", revision, down.render())
                    .allMatch(line -> line.startsWith("~ column order"));
            previous = revision;
        }
    }

    private DatabaseUri upgraded(Path migrations, String revision) {
        DatabaseUri uri = server.createDatabase("core");
        if (revision != null) {
            try (Database database = Database.open(uri, "test", Duration.ofSeconds(10))) {
                new org.bemserver.schema.migrate.Migrations(
                                database.dataSource(),
                                new org.bemserver.schema.migrate.MigrationSettings(
                                        Path.of("").toAbsolutePath(),
                                        List.of(migrations.toString()),
                                        List.of("public"),
                                        "flyway_schema_history",
                                        Map.of()),
                                org.bemserver.schema.Reporter.silent())
                        .upgrade(revision, false);
            }
        }
        return uri;
    }

    private DatabaseUri database(String sql) {
        DatabaseUri uri = server.createDatabase("gen");
        if (!sql.isBlank()) {
            server.execute(uri.database(), "SET ROLE " + TestServer.OWNER + ";\n" + sql);
        }
        return uri;
    }

    private Snapshot snapshot(DatabaseUri uri, List<String> references) {
        try (Database database = Database.open(uri, "test", Duration.ofSeconds(10));
                Connection connection = database.connect()) {
            return SnapshotReader.read(
                    connection, List.of("public"), Set.of("public.flyway_schema_history"), references);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a script as Flyway would: one transaction, as the schema's owner. */
    private void apply(DatabaseUri uri, MigrationScript script, String direction) {
        try (Database database = Database.open(uri, "test", Duration.ofSeconds(10));
                Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try {
                SqlScript.parse(direction, script.render()).run(connection);
                connection.commit();
            } catch (SqlScript.StatementFailure failure) {
                connection.rollback();
                throw new AssertionError(
                        direction + " failed at line " + failure.statement().line() + ": " + failure.getMessage() + "\n"
                                + script.render(),
                        failure);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
