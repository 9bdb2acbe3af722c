package org.bemserver.schema.migrate;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A revision id ({@code 5}, {@code 0.3.1}, {@code 2026.11.25.1}) as a value that sorts the way
 * Flyway orders versions: number by number, a missing number as zero, so {@code 1.0} is
 * {@code 1} and {@code 0.21} comes after {@code 0.4} (as {@link Revision#compare} orders ids).
 * Our own type, so that no Flyway type stands in our signatures: {@link FlywayProject} and
 * {@link Migration} convert at Flyway's door.
 *
 * <p>A class rather than a record: {@code 1.0} and {@code 1} are equal, which a record of its
 * text would not say.
 */
public final class Version implements Comparable<Version> {

    /** Numbers separated by dots or underscores, as file names and history rows write them. */
    private static final Pattern ID = Pattern.compile("[0-9]+([._][0-9]+)*");

    private final String id;
    /** The numbers, trailing zeros cut (at least one kept): parsed once, compared often. */
    private final List<BigInteger> parts;

    private Version(String id, List<BigInteger> parts) {
        this.id = id;
        this.parts = parts;
    }

    /**
     * The version of a revision id; {@code 1_1} is {@code 1.1}.
     *
     * @throws IllegalArgumentException when {@code id} is not numbers separated by dots or underscores
     */
    public static Version of(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a revision: " + id);
        }
        String normalized = id.replace('_', '.');
        List<BigInteger> parts = new ArrayList<>();
        for (String part : normalized.split("\\.")) {
            parts.add(new BigInteger(part));
        }
        while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
            parts.remove(parts.size() - 1);
        }
        return new Version(normalized, List.copyOf(parts));
    }

    /** The id as written, with dots ({@code 1.1} for {@code 1_1}). */
    public String id() {
        return id;
    }

    /** The first number ({@code 2026} of {@code 2026.11.25.1}). */
    public BigInteger major() {
        return parts.get(0);
    }

    @Override
    public int compareTo(Version other) {
        for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
            BigInteger x = i < parts.size() ? parts.get(i) : BigInteger.ZERO;
            BigInteger y = i < other.parts.size() ? other.parts.get(i) : BigInteger.ZERO;
            int order = x.compareTo(y);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Version version && parts.equals(version.parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
