package org.bemserver.schema.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;

/**
 * The model: plain SQL files describing the schema at head, default rows included, applied in
 * file-name order ({@code 010-types.sql}, {@code 020-tables.sql}, {@code 900-default-rows.sql}).
 */
public final class ModelFiles {

    private ModelFiles() {}

    /**
     * The {@code .sql} files of the model directory, in name order.
     *
     * @param baseDirectory the project directory, against which a relative {@code model} resolves
     * @param model the model directory ({@code bemserver.model})
     */
    public static List<Path> list(Path baseDirectory, String model) {
        Path directory = baseDirectory.resolve(model).normalize();
        String shown = display(baseDirectory, directory);
        if (!Files.isDirectory(directory)) {
            throw new ConfigurationException("Model directory " + shown + " does not exist: create it with the schema "
                    + "at head as plain SQL files (e.g. 010-tables.sql, 900-default-rows.sql), or set bemserver.model");
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(directory)) {
            files = entries.filter(f ->
                            Files.isRegularFile(f) && f.getFileName().toString().endsWith(".sql"))
                    .sorted(Comparator.comparing(f -> f.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new EnvironmentException("Cannot list the model directory " + shown + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new ConfigurationException("Model directory " + shown + " holds no .sql file: add the schema at head "
                    + "as plain SQL files (e.g. 010-tables.sql, 900-default-rows.sql), or set bemserver.model");
        }
        return files;
    }

    static String display(Path baseDirectory, Path path) {
        Path base = baseDirectory.toAbsolutePath().normalize();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
    }
}
