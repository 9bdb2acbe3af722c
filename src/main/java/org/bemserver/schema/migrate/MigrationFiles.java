package org.bemserver.schema.migrate;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.bemserver.schema.EnvironmentException;
import org.flywaydb.core.api.callback.Event;

/**
 * Checks the files of the migration locations before Flyway reads them: Flyway silently skips a
 * file whose name it does not understand ({@code V1_create.sql}), applies an empty script as if
 * it did something, and reads a file that is not UTF-8 as garbage. Each of these is a problem
 * that stops an upgrade.
 */
final class MigrationFiles {

    private static final Pattern SCRIPT = ScriptFiles.NAME;

    /**
     * A versioned or repeatable script's name without a description ({@code V1.sql}, {@code V1__.sql},
     * {@code R.sql}), which Flyway accepts.
     */
    private static final Pattern WITHOUT_DESCRIPTION = Pattern.compile("(V[0-9]+(?:[._][0-9]+)*|R)(?:__)?\\.(?i:sql)");

    private MigrationFiles() {}

    /**
     * What a reading of the locations found: the problems, the versioned scripts as Flyway resolves
     * them, the undo scripts by revision (several when a revision has more than one), the
     * repeatable scripts' files and Flyway's SQL callbacks ({@code beforeMigrate.sql}, ...). Each
     * versioned and undo script knows its settings, read once from its {@code .conf} file found as
     * Flyway finds it; {@code repeatableConfigs} has those of the repeatable scripts that have such a
     * file, by script file.
     */
    record Scan(
            List<String> problems,
            List<ProjectScript> versioned,
            Map<Version, List<UndoScript>> undo,
            List<Path> repeatable,
            List<Path> callbacks,
            Map<Path, ScriptConfig> repeatableConfigs) {}

    /**
     * A {@code U} script, with its text as read (placeholders not replaced): the scan reads every
     * file anyway, and a downgrade then needs no second pass over the locations.
     *
     * @param file where it is
     * @param text its text
     * @param config its settings ({@link ScriptConfig#DEFAULT} without a {@code .conf} file)
     */
    record UndoScript(Path file, String text, ScriptConfig config) {

        /**
         * The script parsed, its placeholders replaced unless its {@code .conf} file says otherwise;
         * its transaction is db-downgrade's, whatever that file says.
         */
        SqlScript parse(Placeholders placeholders) {
            String name = file.getFileName().toString();
            return config.parse(name, name, text, placeholders, false);
        }

        /** The problem of a revision with more than one undo script: which ones. */
        static String several(String revision, List<UndoScript> undo) {
            return "revision " + revision + " has " + undo.size() + " undo scripts ("
                    + undo.stream()
                            .map(u -> u.file().getFileName().toString())
                            .sorted()
                            .collect(Collectors.joining(", "))
                    + "): keep one";
        }
    }

    /**
     * Reads every script once: the problems above, and each {@code V} script with its version,
     * description, name relative to its location and checksum exactly as Flyway computes them
     * (tested against Flyway's own values), for work that needs the scripts but not Flyway's
     * reading of the history (which costs about a second for 1000 revisions).
     */
    static Scan scan(MigrationSettings settings) {
        List<String> problems = new ArrayList<>();
        List<ProjectScript> scripts = new ArrayList<>();
        Map<Version, List<String>> versions = new TreeMap<>();
        Map<Version, List<UndoScript>> undo = new TreeMap<>();
        List<Path> repeatableFiles = new ArrayList<>();
        List<Path> callbacks = new ArrayList<>();
        // a script's own settings (Flyway's V1__x.sql.conf), listed by the same walk, by their path
        // in their location in lower case: Flyway finds the .conf of a script in any location, in
        // any case
        List<Path> directories = settings.directories();
        List<List<Path>> scriptFiles = new ArrayList<>();
        Map<String, Path> configs = new HashMap<>();
        for (Path directory : directories) {
            List<Path> files = new ArrayList<>();
            for (Path file : sqlFiles(directory, settings)) {
                if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".conf")) {
                    Path other = configs.put(relative(directory, file), file);
                    if (other != null) {
                        problems.add(settings.display(other) + " and " + settings.display(file) + " are both the "
                                + ".conf of one script name (Flyway reads only one): keep one");
                    }
                } else {
                    files.add(file);
                }
            }
            scriptFiles.add(files);
        }
        Map<Path, ScriptConfig> configsRead = new HashMap<>();
        Map<Path, ScriptConfig> repeatableConfigs = new HashMap<>();
        for (int location = 0; location < scriptFiles.size(); location++) {
            Path directory = directories.get(location);
            for (Path file : scriptFiles.get(location)) {
                String name = file.getFileName().toString();
                Matcher script = SCRIPT.matcher(name);
                boolean matches = script.matches();
                boolean repeatable = matches && script.group(1).equals("R") && script.group(2) == null;
                boolean versioned = matches && !script.group(1).equals("R") && script.group(2) != null;
                if (!repeatable && !versioned) {
                    Matcher bare = WITHOUT_DESCRIPTION.matcher(name);
                    if (isCallback(name)) {
                        callbacks.add(file);
                    } else if (bare.matches()) {
                        problems.add(settings.display(file) + " has no description: name it " + bare.group(1)
                                + "__<slug>.sql (Flyway would apply it with an empty "
                                + "description; the plugin asks for one)");
                    } else {
                        problems.add(settings.display(file) + " is not a migration name: name it V<rev>__<slug>.sql, "
                                + "U<rev>__<slug>.sql or R__<slug>.sql (Flyway would skip it)");
                    }
                    continue;
                }
                Path conf = configs.get(relative(directory, file) + ".conf");
                ScriptConfig config = ScriptConfig.DEFAULT;
                if (conf != null) {
                    config = configsRead.computeIfAbsent(conf, c -> ScriptConfig.read(c, settings, problems));
                }
                byte[] bytes = read(file, settings);
                String text = utf8(bytes);
                if (text == null) {
                    problems.add(settings.display(file) + " is not valid UTF-8: save it as UTF-8");
                    continue;
                }
                if (!script.group(1).equals("U")
                        && !startsWithStatement(text)
                        && SqlScript.parse(name, text).statements().isEmpty()) {
                    problems.add(
                            settings.display(file) + " holds no statement: write the migration or delete the file");
                }
                if (repeatable) {
                    repeatableFiles.add(file);
                    if (conf != null) {
                        repeatableConfigs.put(file, config);
                    }
                }
                if (script.group(1).equals("U")) {
                    undo.computeIfAbsent(Version.of(script.group(2)), v -> new ArrayList<>())
                            .add(new UndoScript(file, text, config));
                }
                if (script.group(1).equals("V")) {
                    Version version = Version.of(script.group(2));
                    versions.computeIfAbsent(version, v -> new ArrayList<>()).add(name);
                    scripts.add(new ProjectScript(
                            version,
                            script.group(3).replace('_', ' '),
                            directory.relativize(file).toString().replace(java.io.File.separatorChar, '/'),
                            checksum(bytes),
                            file,
                            text,
                            config));
                }
            }
        }
        versions.forEach((version, names) -> {
            if (names.size() > 1) {
                problems.add("revision " + version.id() + " has " + names.size() + " scripts ("
                        + String.join(", ", names) + "): give each its own revision");
            }
        });
        return new Scan(problems, scripts, undo, repeatableFiles, callbacks, repeatableConfigs);
    }

    /** The path of {@code file} in its location {@code directory}, with {@code /}, in lower case: how Flyway keys it. */
    private static String relative(Path directory, Path file) {
        return directory
                .relativize(file)
                .toString()
                .replace(java.io.File.separatorChar, '/')
                .toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the first line that is neither blank nor a {@code --} comment starts with a word: then
     * the script holds a statement, without parsing it (a run reads every script of the project).
     */
    private static boolean startsWithStatement(String text) {
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            String stripped =
                    text.substring(start, end < 0 ? text.length() : end).strip();
            if (!stripped.isEmpty() && !stripped.startsWith("--")) {
                return Character.isLetter(stripped.charAt(0));
            }
            start = end < 0 ? text.length() : end + 1;
        }
        return false;
    }

    private static List<Path> sqlFiles(Path directory, MigrationSettings settings) {
        // the walk has read each entry's attributes already: a link is followed to see what it names
        try (Stream<Path> paths = Files.find(
                directory,
                Integer.MAX_VALUE,
                (path, attributes) -> isScriptOrConfig(path.getFileName().toString())
                        && (attributes.isRegularFile() || attributes.isSymbolicLink() && Files.isRegularFile(path)))) {
            return paths.sorted().collect(Collectors.toCollection(ArrayList::new));
        } catch (IOException e) {
            throw new EnvironmentException("Cannot list " + settings.display(directory) + ": " + e.getMessage(), e);
        }
    }

    /** Whether the file is a script ({@code .sql} in any case) or a script's {@code .sql.conf}. */
    private static boolean isScriptOrConfig(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".sql") || lower.endsWith(".sql.conf");
    }

    private static boolean isCallback(String name) {
        for (Event event : Event.values()) {
            String id = event.getId();
            // the extension in any case, as Flyway strips it
            boolean named = name.length() == id.length() + 4
                    && name.startsWith(id)
                    && name.regionMatches(true, id.length(), ".sql", 0, 4);
            if (named || name.startsWith(id + "__")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Flyway's checksum of a script ({@code ChecksumCalculator}): the CRC-32 of the UTF-8 bytes of
     * its lines without their line breaks, a byte order mark dropped, so that line endings and a
     * BOM do not change it. Taken on the UTF-8 file as it is: CR and LF bytes are never part of
     * another character there, so its lines without their breaks are its bytes without CR and LF.
     */
    static int checksum(byte[] utf8) {
        CRC32 crc = new CRC32();
        int bom = utf8.length >= 3 && (utf8[0] & 0xFF) == 0xEF && (utf8[1] & 0xFF) == 0xBB && (utf8[2] & 0xFF) == 0xBF
                ? 3
                : 0;
        int from = bom;
        for (int i = bom; i < utf8.length; i++) {
            if (utf8[i] == '\n' || utf8[i] == '\r') {
                crc.update(utf8, from, i - from);
                from = i + 1;
            }
        }
        crc.update(utf8, from, utf8.length - from);
        return (int) crc.getValue();
    }

    private static byte[] read(Path file, MigrationSettings settings) {
        // a FileInputStream has fewer layers than Files.readAllBytes' channel: it shows on 2000 small files
        try (InputStream in = new FileInputStream(file.toFile())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new EnvironmentException("Cannot read " + settings.display(file) + ": " + e.getMessage(), e);
        }
    }

    /** The text of a script, or {@code null} when it is not UTF-8. */
    private static String utf8(byte[] bytes) {
        // The lenient decoder has the JDK's fast paths; it replaces what is not UTF-8 with U+FFFD, so
        // only a text holding that character (rare) needs the strict decoder to tell which it was.
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
