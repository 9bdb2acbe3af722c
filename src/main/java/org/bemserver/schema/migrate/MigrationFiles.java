package org.bemserver.schema.migrate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Event;

/**
 * Checks the files of the migration locations before Flyway reads them: Flyway silently skips a
 * file whose name it does not understand ({@code V1_create.sql}), applies an empty script as if
 * it did something, and reads a file that is not UTF-8 as garbage. Each of these is a problem
 * that stops an upgrade.
 */
final class MigrationFiles {

    private static final Pattern SCRIPT = Pattern.compile("([VUR])([0-9]+(?:[._][0-9]+)*)?__(.+)\\.sql");

    private MigrationFiles() {}

    static List<String> problems(MigrationSettings settings) {
        List<String> problems = new ArrayList<>();
        Map<MigrationVersion, List<String>> versions = new TreeMap<>();
        for (Path directory : settings.directories()) {
            for (Path file : sqlFiles(directory, settings)) {
                String name = file.getFileName().toString();
                Matcher script = SCRIPT.matcher(name);
                boolean repeatable = script.matches() && script.group(1).equals("R") && script.group(2) == null;
                boolean versioned = script.matches() && !script.group(1).equals("R") && script.group(2) != null;
                if (!repeatable && !versioned) {
                    if (!isCallback(name)) {
                        problems.add(settings.display(file) + " is not a migration name: name it V<rev>__<slug>.sql, "
                                + "U<rev>__<slug>.sql or R__<slug>.sql (Flyway would skip it)");
                    }
                    continue;
                }
                String text = utf8(file, settings, problems);
                if (text == null) {
                    continue;
                }
                if (!script.group(1).equals("U") && !startsWithStatement(text) && SqlScript.parse(name, text).statements().isEmpty()) {
                    problems.add(settings.display(file) + " holds no statement: write the migration or delete the file");
                }
                if (script.group(1).equals("V")) {
                    versions.computeIfAbsent(MigrationVersion.fromVersion(script.group(2).replace('_', '.')),
                            v -> new ArrayList<>()).add(name);
                }
            }
        }
        versions.forEach((version, names) -> {
            if (names.size() > 1) {
                problems.add("revision " + version.getVersion() + " has " + names.size() + " scripts ("
                        + String.join(", ", names) + "): give each its own revision");
            }
        });
        return problems;
    }

    /**
     * Whether the first line that is neither blank nor a {@code --} comment starts with a word: then
     * the script holds a statement, without parsing it (a run reads every script of the project).
     */
    private static boolean startsWithStatement(String text) {
        for (String line : (Iterable<String>) text.lines()::iterator) {
            String stripped = line.strip();
            if (!stripped.isEmpty() && !stripped.startsWith("--")) {
                return Character.isLetter(stripped.charAt(0));
            }
        }
        return false;
    }

    /** Whether the locations hold Flyway callback scripts ({@code beforeMigrate.sql}, ...). */
    static boolean hasCallbacks(MigrationSettings settings) {
        for (Path directory : settings.directories()) {
            for (Path file : sqlFiles(directory, settings)) {
                if (isCallback(file.getFileName().toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<Path> sqlFiles(Path directory, MigrationSettings settings) {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        } catch (IOException e) {
            throw new EnvironmentException("Cannot list " + settings.display(directory) + ": " + e.getMessage(), e);
        }
    }

    private static boolean isCallback(String name) {
        for (Event event : Event.values()) {
            if (name.equals(event.getId() + ".sql") || name.startsWith(event.getId() + "__")) {
                return true;
            }
        }
        return false;
    }

    /** The text of a script, or {@code null} (and a problem) when it is not UTF-8. */
    private static String utf8(Path file, MigrationSettings settings, List<String> problems) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new EnvironmentException("Cannot read " + settings.display(file) + ": " + e.getMessage(), e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add(settings.display(file) + " is not valid UTF-8: save it as UTF-8");
            return null;
        }
    }
}
