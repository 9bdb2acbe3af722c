package org.bemserver.schema.migrate;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bemserver.schema.ConfigurationException;

/**
 * Replaces {@code ${name}} placeholders in scripts the way Flyway does, so that undo scripts and
 * dry-run output read like the scripts Flyway runs: user placeholders plus Flyway's built-in
 * {@code ${flyway:...}} ones; a placeholder without a value is an error. Names are matched
 * whatever their case, as Flyway matches them ({@code ${Table_Name}} is {@code table_name}'s).
 * With Flyway's {@code placeholderReplacement} off ({@link MigrationSettings#placeholderReplacement()})
 * it leaves every text as written, as Flyway does, but that of a script whose {@code .conf} file turns it on.
 */
final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\$|\\$\\{([^}]*)(}?)");

    /** Flyway's built-in placeholders whose values come from a database session. */
    static final Set<String> SESSION = Set.of("flyway:user", "flyway:database");

    /** By name in lower case. */
    private final Map<String, String> values;
    /** Reads the {@link #SESSION} placeholders; {@code null} once read. */
    private Supplier<Map<String, String>> session;
    /** Whether the {@link #SESSION} placeholders were read from the session. */
    private boolean fromSession;
    /** Whether placeholders are replaced in a script whose {@code .conf} file does not say: the project's setting. */
    private final boolean replacing;

    /**
     * @param user the user's placeholders
     * @param builtIn Flyway's own ({@code flyway:defaultSchema}, {@code flyway:table}, ...), without
     *     {@code flyway:filename}, which is per script, and without the {@link #SESSION} ones
     * @param session reads the {@link #SESSION} placeholders, called only when a script uses one the
     *     user did not set (it costs a connection)
     * @param replacing whether placeholders are replaced where a script does not say otherwise
     */
    Placeholders(
            Map<String, String> user,
            Map<String, String> builtIn,
            Supplier<Map<String, String>> session,
            boolean replacing) {
        this.replacing = replacing;
        this.values = new LinkedHashMap<>();
        builtIn.forEach((name, value) -> values.put(key(name), value));
        user.forEach((name, value) -> values.put(key(name), value));
        this.session = session;
    }

    /**
     * The user's placeholders of {@code settings} and Flyway's built-in ones, as Flyway sets them
     * for a run.
     *
     * @param session reads {@code flyway:user} and {@code flyway:database} when a script uses them
     */
    static Placeholders forProject(MigrationSettings settings, Supplier<Map<String, String>> session) {
        Map<String, String> builtIn = new LinkedHashMap<>();
        builtIn.put("flyway:defaultSchema", settings.schemas().get(0));
        builtIn.put("flyway:table", settings.table());
        builtIn.put("flyway:environment", "default");
        builtIn.put("flyway:workingDirectory", Path.of("").toAbsolutePath().toString());
        builtIn.put("flyway:timestamp", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
        return new Placeholders(settings.placeholders(), builtIn, session, settings.placeholderReplacement());
    }

    /** {@code text} of {@code scriptName} with its placeholders replaced, unless the project turns replacement off. */
    String replace(String scriptName, String text) {
        return replace(scriptName, text, null);
    }

    /**
     * The same, {@code replacing} saying whether to replace, or {@code null} for the project's
     * setting (a script's {@code .conf} file wins over it, as in Flyway).
     */
    String replace(String scriptName, String text, Boolean replacing) {
        if (!(replacing != null ? replacing : this.replacing) || !text.contains("${")) {
            return text;
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        TreeSet<String> missing = new TreeSet<>();
        while (matcher.find()) {
            if (matcher.group(1) == null) {
                // "$$": Flyway's reader passes both on, and the second never starts a placeholder
                matcher.appendReplacement(out, "\\$\\$");
                continue;
            }
            String name = matcher.group(1);
            if (matcher.group(2).isEmpty()) {
                throw new ConfigurationException(scriptName + " holds a ${ that no } closes: close it, or keep it as "
                        + "written with bemserver.placeholderReplacement=false (Flyway refuses the script too)");
            }
            String value = key(name).equals("flyway:filename") ? scriptName : value(key(name));
            if (value == null) {
                missing.add(name);
                value = matcher.group();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        if (!missing.isEmpty()) {
            String first = missing.first();
            throw new ConfigurationException(scriptName + " uses the placeholder" + (missing.size() > 1 ? "s " : " ")
                    + String.join(
                            ", ", missing.stream().map(n -> "${" + n + "}").toList())
                    + (key(first).startsWith("flyway:")
                            ? " with no value: Flyway has no placeholder ${" + first + "}: check its name"
                            : " with no value: set it with <placeholders> or -Dbemserver.placeholders." + first
                                    + "=..."));
        }
        return out.toString();
    }

    /** A name as {@link #values} holds it. */
    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The value of the placeholder {@code name}, given in lower case, or {@code null}. */
    private String value(String name) {
        if (session != null && SESSION.contains(name) && !values.containsKey(name)) {
            session.get().forEach((key, value) -> values.putIfAbsent(key(key), value));
            session = null;
            fromSession = true;
        }
        return values.get(name);
    }

    /**
     * Whether a text replaced so far took {@code ${flyway:user}} or {@code ${flyway:database}} from
     * the database's session (the user set neither): it names the database it was read for.
     */
    boolean fromSession() {
        return fromSession;
    }
}
