package org.bemserver.schema.migrate;

import java.util.regex.Pattern;
import org.bemserver.schema.ConfigurationException;

/**
 * Where {@code db-downgrade} goes: {@code base} (everything undone), a number of steps down
 * ({@code -1}, {@code -2}) or a revision ({@code 3}, {@code 2026.11.25.1}).
 *
 * @param steps the number of revisions to undo, or 0 when a revision or base is given
 * @param revision the revision to stop at, or {@code null} for base or steps
 */
public record DowngradeTarget(int steps, Version revision) {

    public static final String BASE = "base";

    private static final String FORMS = "give a revision (e.g. 3 or 2026.11.25.1), a number of revisions to undo "
            + "(-1, -2, ...) or base (undo everything)";

    private static final Pattern STEPS = Pattern.compile("-[1-9][0-9]{0,5}");

    public static DowngradeTarget parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigurationException("db-downgrade needs -Dbemserver.revision: " + FORMS);
        }
        String value = text.strip();
        if (value.equalsIgnoreCase(BASE)) {
            return new DowngradeTarget(0, null);
        }
        if (STEPS.matcher(value).matches()) {
            return new DowngradeTarget(Integer.parseInt(value.substring(1)), null);
        }
        if (value.matches("[0-9]+([._][0-9]+)*")) {
            try {
                return new DowngradeTarget(0, Version.of(value));
            } catch (IllegalArgumentException e) {
                // falls through to the message below
            }
        }
        throw new ConfigurationException(
                "bemserver.revision '" + value + "' is not a revision, a number of steps or base: " + FORMS);
    }

    public boolean isBase() {
        return steps == 0 && revision == null;
    }
}
