package org.bemserver.schema.migrate;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import org.bemserver.schema.EnvironmentException;

/**
 * A script's own settings, from the {@code <script>.conf} file beside it, as Flyway reads them
 * ({@code SqlScriptMetadata}): {@code executeInTransaction} forces the script in or out of a
 * transaction, whatever its statements; {@code placeholderReplacement} turns the replacement of
 * its {@code ${...}} off or on, whatever the project's {@code bemserver.placeholderReplacement}.
 * {@code encoding} may only say UTF-8, the plugin's reading; Flyway's {@code shouldExecute} and any
 * other key are refused, where Flyway refuses unknown keys too.
 *
 * @param executeInTransaction the script's transaction, or {@code null} when its statements decide
 * @param placeholderReplacement whether the script's placeholders are replaced, or {@code null}
 *     when the project's setting decides
 */
public record ScriptConfig(Boolean executeInTransaction, Boolean placeholderReplacement) {

    /** A script without a {@code .conf} file. */
    public static final ScriptConfig DEFAULT = new ScriptConfig(null, null);

    private static final List<String> KEYS = List.of("executeInTransaction", "placeholderReplacement", "encoding");

    /**
     * Reads {@code conf}, a script's {@code .conf} file, once, in the scan; what is wrong in it goes
     * to {@code problems}, and {@link #DEFAULT} is returned. Its placeholders are not replaced:
     * Flyway reads the file beside its script as written, and refuses {@code ${...}} in a value.
     */
    static ScriptConfig read(Path conf, MigrationSettings settings, List<String> problems) {
        Properties properties = new Properties();
        String shown = settings.display(conf);
        try {
            // as Flyway loads it: every backslash doubled first, so that no escape is read (a
            // backslash and u0065 are six characters, not an e) and no line continues on the next
            properties.load(new StringReader(
                    Files.readString(conf, StandardCharsets.UTF_8).replace("\\", "\\\\")));
        } catch (CharacterCodingException e) {
            problems.add(shown + " is not UTF-8 text: save it as UTF-8, one key=value per line");
            return DEFAULT;
        } catch (IOException e) {
            throw new EnvironmentException("Cannot read " + shown + ": " + e.getMessage(), e);
        }
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
        return new ScriptConfig(inTransaction, replacement);
    }

    private static Boolean flag(Properties properties, String key, String shown, List<String> problems) {
        String value = properties.getProperty(key);
        if (value == null) {
            return null;
        }
        String stripped = value.strip().toLowerCase(Locale.ROOT);
        if (!stripped.equals("true") && !stripped.equals("false")) {
            problems.add(shown + " sets " + key + "=" + value.strip() + ": write true or false"
                    + (stripped.contains("${")
                            ? " (placeholders are not replaced in a .conf file, as in Flyway)"
                            : ""));
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
     * {@code text}, a script's, parsed as the plugin runs it: its placeholders replaced as this
     * says, or as the project does; as a migration ({@code migration}), in the transaction this
     * forces, as Flyway runs it; else as an undo script, whose transaction is db-downgrade's.
     *
     * @param name the script's name in messages
     * @param fileName its file name, the value of {@code ${flyway:filename}}
     */
    SqlScript parse(String name, String fileName, String text, Placeholders placeholders, boolean migration) {
        SqlScript script = SqlScript.parse(name, replace(placeholders, fileName, text));
        return migration ? script.configured(this) : script;
    }

    /**
     * {@code text} of the script {@code name} with its placeholders replaced, when this says so,
     * or says nothing and the project replaces them: as Flyway, whose script setting wins.
     */
    String replace(Placeholders placeholders, String name, String text) {
        return placeholders.replace(name, text, placeholderReplacement);
    }
}
