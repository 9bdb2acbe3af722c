package org.bemserver.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file a goal writes for the user (a report, a repair script), under the project: written whole
 * or not at all, and named in output relative to the project.
 *
 * @param file where it goes
 * @param baseDirectory the project directory, against which the file is shown
 * @param what what to call it in an error, e.g. {@code check report}
 */
public record OutputFile(Path file, Path baseDirectory, String what) {

    /** The file as output names it, e.g. {@code target/bemserver/check-report.txt}. */
    public String shown() {
        return baseDirectory.toAbsolutePath().relativize(file.toAbsolutePath()).toString();
    }

    /**
     * Writes {@code text} to a {@code .part} file beside the file and moves it into place, so a
     * reader never sees half a file.
     */
    public void write(String text) {
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        try {
            Files.createDirectories(file.getParent());
            try {
                Files.writeString(partial, text, StandardCharsets.UTF_8);
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new EnvironmentException("Cannot write the " + what + " " + shown() + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code lines}, each ended by a line separator. */
    public void writeLines(Iterable<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append(System.lineSeparator()));
        write(text.toString());
    }

    /** Removes the file, if any: a run that found nothing leaves no stale file from an earlier one. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new EnvironmentException("Cannot delete the " + what + " " + shown() + ": " + e.getMessage(), e);
        }
    }
}
