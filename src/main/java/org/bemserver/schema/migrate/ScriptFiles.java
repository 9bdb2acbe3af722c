package org.bemserver.schema.migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bemserver.schema.EnvironmentException;

/** The versioned script files of the locations, by revision, read from their names alone. */
public final class ScriptFiles {

    /**
     * A script's name as Flyway reads it: prefix ({@code V}, {@code U}, {@code R}), the revision
     * (none for {@code R}), {@code __}, the slug.
     */
    static final Pattern NAME = Pattern.compile("([VUR])([0-9]+(?:[._][0-9]+)*)?__(.+)\\.(?i:sql)");

    private ScriptFiles() {}

    /**
     * The files named {@code <prefix><rev>__<slug>.sql} ({@code V} migrations, {@code U} undo
     * scripts) in every location and its subdirectories, by revision ({@code 1_1} is {@code 1.1}).
     */
    public static Map<Version, List<Path>> byRevision(MigrationSettings settings, char prefix) {
        Map<Version, List<Path>> files = new TreeMap<>();
        for (Path directory : settings.directories()) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                    Matcher name = NAME.matcher(path.getFileName().toString());
                    if (name.matches() && name.group(1).charAt(0) == prefix && name.group(2) != null) {
                        files.computeIfAbsent(Version.of(name.group(2)), v -> new ArrayList<>())
                                .add(path);
                    }
                }
            } catch (IOException e) {
                throw new EnvironmentException("Cannot list " + settings.display(directory) + ": " + e.getMessage(), e);
            }
        }
        return files;
    }
}
