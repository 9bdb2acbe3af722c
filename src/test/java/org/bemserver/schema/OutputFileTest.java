package org.bemserver.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFileTest {

    @TempDir
    Path project;

    @Test
    void writesTheWholeTextAndNothingBeside() throws Exception {
        Path reports = project.resolve("target/bemserver");
        new OutputFile(reports.resolve("check-report.txt"), project, "check report").write("report\n");
        assertThat(reports.resolve("check-report.txt")).hasContent("report");
        try (var listing = Files.list(reports)) {
            assertThat(listing.map(path -> path.getFileName().toString())).containsExactly("check-report.txt");
        }
    }

    @Test
    void aFailedWriteLeavesNoPartOfTheFile() throws Exception {
        // the report's place is taken by a directory: the move fails
        Path reports = project.resolve("target/bemserver");
        Files.createDirectories(reports.resolve("check-report.txt"));
        Files.writeString(reports.resolve("check-report.txt/keep"), "x");
        assertThatThrownBy(() ->
                        new OutputFile(reports.resolve("check-report.txt"), project, "check report").write("report\n"))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("Cannot write the check report target/bemserver/check-report.txt: ");
        try (var listing = Files.list(reports)) {
            assertThat(listing.map(path -> path.getFileName().toString())).containsExactly("check-report.txt");
        }
    }
}
