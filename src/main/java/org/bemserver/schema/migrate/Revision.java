package org.bemserver.schema.migrate;

import java.math.BigInteger;

/**
 * One migration of the project.
 *
 * @param id the revision ({@code 5}, {@code 0.3.1}, {@code 2026.11.25.1}); {@code null} for a repeatable script
 * @param description the description Flyway derives from the slug ({@code add site timezone})
 * @param script the script's file name
 */
public record Revision(String id, String description, String script) {

    /** How output names the state before the first revision. */
    public static final String BASE = "<base>";

    /** A revision id for output: {@link #BASE} for {@code null}. */
    public static String display(String id) {
        return id == null ? BASE : id;
    }

    /**
     * Compares revision ids as Flyway orders versions: dot- or underscore-separated numbers, part by
     * part, missing parts as zero ({@code 0.21} after {@code 0.4}, {@code 1.0} equal to {@code 1}).
     */
    public static int compare(String a, String b) {
        String[] left = a.split("[._]");
        String[] right = b.split("[._]");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            BigInteger x = i < left.length && left[i].matches("\\d+") ? new BigInteger(left[i]) : BigInteger.ZERO;
            BigInteger y = i < right.length && right[i].matches("\\d+") ? new BigInteger(right[i]) : BigInteger.ZERO;
            int order = x.compareTo(y);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    /** {@code 4 - add site timezone}, or {@code repeatable - refresh views}. */
    public String label() {
        return (id == null ? "repeatable" : id) + " - " + description;
    }
}
