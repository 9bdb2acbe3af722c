package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.SchemaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripts read ahead, while a goal connects, are the scripts as they are when it asks. */
class ScriptScanTest {

    @TempDir
    Path project;

    private MigrationSettings settings(String location) {
        return new MigrationSettings(project, List.of(location), List.of("public"), "flyway_schema_history", Map.of());
    }

    private static List<String> ids(MigrationFiles.Scan scan) {
        return scan.versioned().stream().map(ProjectScript::id).sorted().toList();
    }

    @Test
    void theFirstReadingIsTheOneStartedAheadAndLaterOnesSeeScriptsWrittenSince() throws Exception {
        Path migrations = Files.createDirectories(project.resolve("migration"));
        Files.writeString(migrations.resolve("V1__one.sql"), "CREATE TABLE one (id int);\n");
        Files.writeString(migrations.resolve("V2__two.sql"), "CREATE TABLE two (id int);\n");
        List<ProjectScript> expected =
                MigrationFiles.scan(settings("migration")).versioned();
        ScriptScan scripts = ScriptScan.ahead(settings("migration"));

        MigrationFiles.Scan first = scripts.take();
        Files.writeString(migrations.resolve("V3__three.sql"), "CREATE TABLE three (id int);\n");
        MigrationFiles.Scan second = scripts.take();

        assertThat(first.versioned()).isEqualTo(expected);
        assertThat(first.problems()).isEmpty();
        assertThat(ids(second)).containsExactly("1", "2", "3");
    }

    @Test
    void aReadingThatFailsAheadFailsWhenAskedForWithTheSameMessage() {
        String expected = messageOf(() -> MigrationFiles.scan(settings("missing")));
        ScriptScan scripts = ScriptScan.ahead(settings("missing"));

        assertThatThrownBy(scripts::take).isInstanceOf(SchemaException.class).hasMessage(expected);
    }

    private static String messageOf(Runnable run) {
        try {
            run.run();
        } catch (SchemaException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the reading of a missing location to fail");
    }
}
