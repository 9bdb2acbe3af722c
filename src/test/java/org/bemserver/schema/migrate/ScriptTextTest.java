package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bemserver.testing.Scripts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole text of a few db-script files, byte for byte, as reviewed files in
 * {@code src/test/resources/script-text}: what runs them is proven in ScriptWriterTest and the
 * db-script ITs; these catch any other change of the text (a reordering, a lost comment, a
 * refactoring). A change meant to be made is reviewed in the file's diff.
 */
class ScriptTextTest {

    @TempDir
    Path project;

    @BeforeEach
    void sevenRevisions() {
        new Scripts(project.resolve("migrations"))
                .threeRevisions()
                .write("V4__index_site_names.sql", "CREATE INDEX CONCURRENTLY sites_name_idx ON sites (name);\n")
                .write("U4__index_site_names.sql", "DROP INDEX sites_name_idx;\n")
                .write(
                        "V5__comment_sites.sql",
                        "COMMENT ON TABLE sites IS 'sites of ${flyway:database}, by ${flyway:user}';\n"
                                + "CREATE TABLE notes (id int PRIMARY KEY, body text DEFAULT '${owner}');\n")
                .write("U5__comment_sites.sql", "DROP TABLE notes;\nCOMMENT ON TABLE sites IS NULL;\n")
                .write(
                        "V6__elsewhere.sql",
                        "CREATE SCHEMA side;\nSET search_path TO side;\nCREATE TABLE t6 (id int);\n")
                .write("U6__elsewhere.sql", "SET ROLE x;\nDROP SCHEMA side CASCADE;\n")
                .write("V7__here.sql", "CREATE TABLE t7 (id int); -- $statement$ ${flyway:user}\n")
                .write("U7__here.sql", "DROP TABLE t7;\n");
    }

    @ParameterizedTest(name = "{2}-{3}")
    @CsvSource({
        "base, 7, public, upgrade-base-to-7",
        "7, 1, public, downgrade-7-to-1",
        "2, 7, app, upgrade-2-to-7",
        "7, base, app, downgrade-7-to-base",
    })
    void aScriptIsExactlyTheReviewedText(String from, String to, String schema, String name) throws IOException {
        List<String> schemas = schema.equals("public") ? List.of("public") : List.of(schema, "other");
        MigrationSettings settings =
                new MigrationSettings(project, List.of("migrations"), schemas, "hist", Map.of("owner", "bem"));
        ScriptWriter writer = ScriptWriter.plan(settings, from, to);
        assertThat(writer.defaultFileName()).isEqualTo(name + ".sql");

        String expected = Files.readString(
                Path.of("src/test/resources/script-text", schema + "-" + name + ".sql"), StandardCharsets.UTF_8);
        assertThat(writer.sql("org.x:y:1", writer.defaultFileName())).isEqualTo(expected);
    }
}
