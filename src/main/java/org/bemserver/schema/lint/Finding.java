package org.bemserver.schema.lint;

import java.util.Locale;

/**
 * What db-lint found about one statement.
 *
 * @param rule the rule's id, such as {@code table-rewrite}
 * @param level how grave it is
 * @param message what was measured and what it means on a live database
 * @param fix the safe alternative, written out
 */
public record Finding(String rule, Level level, String message, String fix) {

    /** How grave a finding is. */
    public enum Level {
        /** Blocks reads or writes of an existing table for as long as the table is large. */
        ERROR,
        /** Breaks the application version still running, or risks a pile-up of queries. */
        WARNING;

        /** {@code error}, {@code warning}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code error [table-rewrite] rewrites public.sites ...}. */
    public String line() {
        return level.word() + " [" + rule + "] " + message;
    }
}
