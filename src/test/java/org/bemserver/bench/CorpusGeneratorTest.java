package org.bemserver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.catalog.Kind;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.catalog.SnapshotReader;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.diff.SchemaComparison;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The benchmark corpus generator: deterministic, its migrations reach the schema its model builds,
 * and each undo script exactly reverses its migration.
 */
class CorpusGeneratorTest extends EngineTest {

    /** A bigger or other corpus for a one-off check: {@code -Dbench.corpus.revisions=1000 -Dbench.corpus.seed=42}. */
    private static final long SEED = Long.getLong("bench.corpus.seed", 20240611L);

    private static final int REVISIONS = Integer.getInteger("bench.corpus.revisions", 80);

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws IOException {
        CorpusGenerator.history(REVISIONS, SEED, project.resolve("a"));
        CorpusGenerator.history(REVISIONS, SEED, project.resolve("b"));
        CorpusGenerator.history(REVISIONS, SEED + 1, project.resolve("c"));
        CorpusGenerator.wide(50, SEED, project.resolve("wide-a"));
        CorpusGenerator.wide(50, SEED, project.resolve("wide-b"));
        CorpusGenerator.wide(50, SEED + 1, project.resolve("wide-c"));

        Map<String, String> a = files(project.resolve("a"));
        assertThat(a)
                .containsKeys(
                        "model/model.sql",
                        "reference-tables",
                        "migrations/V1__" + slugOf(a, 1) + ".sql",
                        "migrations/U" + REVISIONS + "__" + slugOf(a, REVISIONS) + ".sql");
        assertThat(a).hasSize(2 * REVISIONS + 2);
        assertThat(files(project.resolve("b"))).isEqualTo(a);
        assertThat(files(project.resolve("c"))).isNotEqualTo(a);
        assertThat(files(project.resolve("wide-b"))).isEqualTo(files(project.resolve("wide-a")));
        assertThat(files(project.resolve("wide-c"))).isNotEqualTo(files(project.resolve("wide-a")));
    }

    @Test
    void aHistoryUpgradedToHeadIsTheSchemaItsModelBuilds() throws IOException {
        Path out = project.resolve("history");
        Corpus corpus = CorpusGenerator.history(REVISIONS, SEED, out);
        List<String> references = Files.readAllLines(out.resolve("reference-tables"));

        Set<ChangeKind> kinds = EnumSet.noneOf(ChangeKind.class);
        for (String file : files(out).keySet()) {
            if (file.startsWith("migrations/V")) {
                kinds.add(ChangeKind.ofSlug(file.substring(file.indexOf("__") + 2, file.length() - ".sql".length())));
            }
        }
        assertThat(kinds).containsExactlyInAnyOrderElementsOf(HistoryGenerator.KINDS);
        assertThat(corpus.revisions()).extracting(Revision::kind).containsAll(HistoryGenerator.KINDS);
        assertThat(references).isNotEmpty().isEqualTo(corpus.referenceTables());
        for (Revision revision : corpus.revisions()) {
            assertThat(revision.up() + revision.down())
                    .as(revision.upFile())
                    .doesNotContain("${")
                    .doesNotContainIgnoringCase("BEGIN")
                    .doesNotContainIgnoringCase("COMMIT")
                    .doesNotContainIgnoringCase("CONCURRENTLY")
                    .doesNotContain("\\")
                    .endsWith(";\n");
        }

        migrations(out).upgrade(Migrations.HEAD, false);
        Snapshot upgraded = snapshot(database, references);
        DatabaseUri model = server.createDatabase("model");
        server.execute(
                model.database(),
                "SET ROLE " + TestServer.OWNER + ";\n" + Files.readString(out.resolve("model/model.sql")));
        Snapshot built;
        try (Database modelDatabase = Database.open(model, "test", Duration.ofSeconds(10))) {
            built = snapshot(modelDatabase, references);
        }

        assertThat(SchemaComparison.compare(upgraded, built).report())
                .as("upgraded to head, against the model")
                .isEmpty();
        assertThat(upgraded.all(Kind.TABLE)).hasSize(corpus.counts().tables()).isNotEmpty();
        assertThat(upgraded.all(Kind.INDEX)).hasSize(corpus.counts().indexes()).isNotEmpty();
        assertThat(upgraded.all(Kind.VIEW)).hasSize(corpus.counts().views()).isNotEmpty();
        assertThat(upgraded.all(Kind.TYPE)).hasSize(corpus.counts().enumTypes());
        assertThat(upgraded.rows().values().stream()
                        .mapToInt(t -> t.rows().size())
                        .sum())
                .isEqualTo(corpus.counts().referenceRows())
                .isPositive();
        // all the V scripts in one transaction (as psql --single-transaction runs them concatenated) build the same
        DatabaseUri concatenated = server.createDatabase("concatenated");
        try (Database concatenatedDatabase = Database.open(concatenated, "test", Duration.ofSeconds(10))) {
            StringBuilder all = new StringBuilder();
            corpus.revisions().forEach(revision -> all.append(revision.up()));
            inOneTransaction(concatenatedDatabase, all.toString());
            assertThat(SchemaComparison.compare(snapshot(concatenatedDatabase, references), built)
                            .report())
                    .as("every V script in one transaction, against the model")
                    .isEmpty();
        }
        // every name is plain: PostgreSQL would not quote it
        assertThat(server.column(uri.database(), """
                SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND quote_ident(relname) <> relname
                UNION ALL SELECT attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
                   AND quote_ident(attname) <> attname
                UNION ALL SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                   AND quote_ident(conname) <> conname
                UNION ALL SELECT typname FROM pg_type WHERE typnamespace = 'public'::regnamespace
                   AND quote_ident(typname) <> typname AND typname NOT LIKE '\\_%'""")).isEmpty();

        // every U script, newest first, in one transaction
        migrations(out).downgrade("base", false);
        assertThat(server.tables(uri.database(), "public")).containsExactly("flyway_schema_history");
        assertThat(server.column(
                        uri.database(),
                        "SELECT typname FROM pg_type WHERE typnamespace = 'public'::regnamespace"
                                + " AND typtype = 'e'"))
                .isEmpty();
    }

    /**
     * The stairway: for each revision, the database before it, then after its upgrade and the
     * downgrade back, must be the same (but for where a column dropped and re-added lands). One
     * database walks up: the upgrade to {@code n} re-applies {@code n - 1}, which the previous step
     * undid.
     */
    @Test
    void everyUndoScriptRestoresTheSchemaBeforeItsRevision() throws IOException {
        Path out = project.resolve("history");
        Corpus corpus = CorpusGenerator.history(REVISIONS, SEED, out);
        List<String> references = Files.readAllLines(out.resolve("reference-tables"));
        Migrations migrations = migrations(out);

        Snapshot before = snapshot(database, references);
        List<String> failures = new ArrayList<>();
        for (Revision revision : corpus.revisions()) {
            int n = revision.number();
            migrations.upgrade(String.valueOf(n), false);
            Snapshot after = snapshot(database, references);
            migrations.downgrade(n == 1 ? "base" : String.valueOf(n - 1), false);
            List<String> unexpected = SchemaComparison.compare(before, snapshot(database, references)).report().stream()
                    .filter(line -> !(revision.kind() == ChangeKind.DROP_COLUMN && line.startsWith("~ column order")))
                    .toList();
            if (!unexpected.isEmpty()) {
                failures.add(
                        revision.upFile() + " then " + revision.downFile() + ":\n  " + String.join("\n  ", unexpected));
            }
            before = after;
        }
        assertThat(failures).isEmpty();
        migrations.upgrade(Migrations.HEAD, false);
        assertThat(SchemaComparison.compare(before, snapshot(database, references))
                        .report())
                .isEmpty();
    }

    @Test
    void aWideSchemaUpgradedIsTheSchemaItsModelBuilds() throws IOException {
        Path out = project.resolve("wide");
        Corpus corpus = CorpusGenerator.wide(120, SEED, out);
        assertThat(corpus.revisions()).hasSize(1);
        assertThat(Files.readString(out.resolve("model/model.sql")))
                .isEqualTo(corpus.revisions().get(0).up());

        migrations(out).upgrade(Migrations.HEAD, false);
        Snapshot upgraded = snapshot(database, List.of());
        DatabaseUri model = server.createDatabase("wide_model");
        server.execute(
                model.database(),
                "SET ROLE " + TestServer.OWNER + ";\n" + Files.readString(out.resolve("model/model.sql")));
        try (Database modelDatabase = Database.open(model, "test", Duration.ofSeconds(10))) {
            assertThat(SchemaComparison.compare(upgraded, snapshot(modelDatabase, List.of()))
                            .report())
                    .isEmpty();
        }
        assertThat(upgraded.all(Kind.TABLE)).hasSize(120);
        assertThat(upgraded.all(Kind.VIEW)).hasSize(12);
        assertThat(upgraded.all(Kind.INDEX)).hasSize(corpus.counts().indexes());

        migrations(out).downgrade("base", false);
        assertThat(server.tables(uri.database(), "public")).containsExactly("flyway_schema_history");
    }

    private Migrations migrations(Path corpus) {
        MigrationSettings settings = new MigrationSettings(
                project,
                List.of(MigrationSettings.FILESYSTEM + corpus.resolve("migrations")),
                List.of("public"),
                "flyway_schema_history",
                Map.of());
        return new Migrations(database.dataSource(), settings, Reporter.silent());
    }

    private static void inOneTransaction(Database database, String sql) {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute(sql);
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Snapshot snapshot(Database database, List<String> references) {
        try (Connection connection = database.connect()) {
            return SnapshotReader.read(
                    connection, List.of("public"), Set.of("public.flyway_schema_history"), references);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every file under {@code directory} by relative path (with / separators), in name order. */
    private static Map<String, String> files(Path directory) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path file : paths.filter(Files::isRegularFile).sorted().toList()) {
                files.put(directory.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        return files;
    }

    private static String slugOf(Map<String, String> files, int revision) {
        String prefix = "migrations/V" + revision + "__";
        return files.keySet().stream()
                .filter(f -> f.startsWith(prefix))
                .findFirst()
                .orElseThrow()
                .substring(prefix.length())
                .replace(".sql", "");
    }
}
