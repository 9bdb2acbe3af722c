package org.bemserver.schema.migrate;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;

/**
 * A script's own settings, from the {@code <script>.conf} file beside it, as Flyway reads them
 * ({@code SqlScriptMetadata}): {@code executeInTransaction} forces the script in or out of a
 * transaction, whatever its statements; {@code placeholderReplacement=false} leaves its
 * {@code ${...}} as written. {@code encoding} may only say UTF-8, the plugin's reading; Flyway's
 * {@code shouldExecute} and any other key are refused, where Flyway refuses unknown keys too.
 *
 * @param executeInTransaction the script's transaction, or {@code null} when its statements decide
 * @param placeholderReplacement whether the script's placeholders are replaced
 */
public record ScriptConfig(Boolean executeInTransaction, boolean placeholderReplacement) {

    /** A script without a {@code .conf} file. */
    public static final ScriptConfig DEFAULT = new ScriptConfig(null, true);

    private static final List<String> KEYS = List.of("executeInTransaction", "placeholderReplacement", "encoding");

    /** The {@code .conf} file of {@code script}: its name with {@code .conf} added, as Flyway looks for it. */
    static Path file(Path script) {
        return script.resolveSibling(script.getFileName() + ".conf");
    }

    /** The settings of {@code script}: its {@code .conf} file's, or {@link #DEFAULT} when it has none. */
    static ScriptConfig of(Path script, MigrationSettings settings) {
        Path conf = file(script);
        if (!Files.isRegularFile(conf)) {
            return DEFAULT;
        }
        List<String> problems = new ArrayList<>();
        ScriptConfig config = read(conf, settings, problems);
        if (!problems.isEmpty()) {
            throw new MigrationException(problems.get(0));
        }
        return config;
    }

    /** Reads {@code conf}; what is wrong in it goes to {@code problems}, and {@link #DEFAULT} is returned. */
    static ScriptConfig read(Path conf, MigrationSettings settings, List<String> problems) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(conf, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new EnvironmentException("Cannot read " + settings.display(conf) + ": " + e.getMessage(), e);
        }
        String shown = settings.display(conf);
        int before = problems.size();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (!KEYS.contains(key)) {
                problems.add(shown + " sets " + key + ", which the plugin does not read: remove it (a script's "
                        + ".conf may set " + String.join(", ", KEYS) + ")");
            }
        }
        String encoding = properties.getProperty("encoding");
        if (encoding != null && !isUtf8(encoding.strip())) {
            problems.add(shown + " sets encoding=" + encoding.strip()
                    + ": the plugin reads scripts as UTF-8; save the script as UTF-8 and remove the line");
        }
        Boolean inTransaction = flag(properties, "executeInTransaction", shown, problems);
        Boolean replacement = flag(properties, "placeholderReplacement", shown, problems);
        if (problems.size() > before) {
            return DEFAULT;
        }
        return new ScriptConfig(inTransaction, replacement == null || replacement);
    }

    private static Boolean flag(Properties properties, String key, String shown, List<String> problems) {
        String value = properties.getProperty(key);
        if (value == null) {
            return null;
        }
        String stripped = value.strip().toLowerCase(Locale.ROOT);
        if (!stripped.equals("true") && !stripped.equals("false")) {
            problems.add(shown + " sets " + key + "=" + value.strip() + ": write true or false");
            return null;
        }
        return Boolean.valueOf(stripped);
    }

    private static boolean isUtf8(String name) {
        try {
            return Charset.forName(name).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The script {@code file} parsed as db-upgrade runs it (and Flyway): its placeholders replaced
     * unless its {@code .conf} file says otherwise, in the transaction that file forces.
     *
     * @param name the script's name in messages
     * @param text the script as read
     */
    static SqlScript parse(Path file, String name, String text, Placeholders placeholders, MigrationSettings settings) {
        ScriptConfig config = of(file, settings);
        return SqlScript.parse(
                        name, config.replace(placeholders, file.getFileName().toString(), text))
                .configured(config);
    }

    /** {@code text} of the script {@code name} with its placeholders replaced, unless this turns replacement off. */
    String replace(Placeholders placeholders, String name, String text) {
        return placeholderReplacement ? placeholders.replace(name, text) : text;
    }
}
