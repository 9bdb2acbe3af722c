package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.bemserver.bench.CorpusGenerator;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.Scripts;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

/** The plugin's own reading of the scripts must give exactly what Flyway resolves. */
class MigrationFilesTest extends EngineTest {

    /** version, description, script, checksum, file of every versioned script, as Flyway resolves them. */
    private List<String> byFlyway(Path directory) {
        return Arrays.stream(Flyway.configure()
                        .dataSource(uri.jdbcUrl(), uri.user(), uri.password())
                        .locations("filesystem:" + directory)
                        .load()
                        .info()
                        .all())
                .filter(m -> m.getVersion() != null)
                .map(MigrationFilesTest::line)
                .toList();
    }

    private List<String> byThePlugin(Path directory) {
        MigrationFiles.Scan scan = MigrationFiles.scan(new MigrationSettings(
                project, List.of(directory.toString()), List.of("public"), "flyway_schema_history", Map.of()));
        assertThat(scan.problems()).isEmpty();
        return scan.versioned().stream()
                .sorted(Comparator.comparing(ProjectScript::version))
                .map(s ->
                        s.id() + " | " + s.description() + " | " + s.script() + " | " + s.checksum() + " | " + s.file())
                .toList();
    }

    private static String line(MigrationInfo m) {
        return m.getVersion().getVersion() + " | " + m.getDescription() + " | " + m.getScript() + " | "
                + m.getChecksum() + " | " + Path.of(m.getPhysicalLocation());
    }

    @Test
    void bemserverCoreTheExampleAndAGeneratedHistoryReadAsFlywayReadsThem() throws Exception {
        Path core = Path.of(
                getClass().getResource("/corpus/bemserver-core/db/migration").toURI());
        Path example = Path.of("examples/bemserver-demo/src/main/resources/db/migration")
                .toAbsolutePath();
        Path generated = project.resolve("generated");
        CorpusGenerator.history(150, 11, generated);
        for (Path directory : List.of(core, example, generated.resolve("migrations"))) {
            List<String> expected = byFlyway(directory);
            assertThat(expected).as(directory.toString()).isNotEmpty();
            assertThat(byThePlugin(directory)).as(directory.toString()).isEqualTo(expected);
        }
    }

    @Test
    void lineEndingsByteOrderMarksUnicodeAndSubdirectoriesGiveFlywaysChecksums() throws IOException {
        Scripts scripts = new Scripts(project.resolve("db"));
        scripts.write("V1__unix.sql", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n");
        scripts.write("V2__windows.sql", "CREATE TABLE c (id int);\r\nCREATE TABLE d (id int);\r\n");
        scripts.write("V3__no_final_newline.sql", "CREATE TABLE e (id int);");
        scripts.write("V4__blank_lines.sql", "\n\nCREATE TABLE f (id int);\n\n\n");
        scripts.write("V5__unicode.sql", "COMMENT ON SCHEMA public IS 'café ☕ 電力';\n");
        scripts.write("V6__old_mac.sql", "CREATE TABLE g (id int);\rCREATE TABLE h (id int);\r");
        Files.write(
                scripts.directory().resolve("V7__bom.sql"),
                ("\uFEFFCREATE TABLE i (id int);\n").getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(scripts.directory().resolve("2026/q4"));
        Files.writeString(
                scripts.directory().resolve("2026/q4/V8__in_a_subdirectory.sql"), "CREATE TABLE j (id int);\n");
        scripts.write("V9_1__dotted_version.sql", "CREATE TABLE k (id int);\n");

        assertThat(byThePlugin(scripts.directory())).hasSize(9).isEqualTo(byFlyway(scripts.directory()));
    }
}
