package org.bemserver.bench;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Generates a deterministic benchmark corpus of Flyway migrations for PostgreSQL: same arguments
 * and seed, byte-identical files.
 *
 * <pre>
 * java org.bemserver.bench.CorpusGenerator --revisions N --seed S --out DIR
 * java org.bemserver.bench.CorpusGenerator --wide T --seed S --out DIR
 * </pre>
 *
 * Both write {@code DIR/migrations/V<n>__<slug>.sql} with its undo twin {@code U<n>__<slug>.sql},
 * {@code DIR/model/model.sql} (the head schema built directly, reference rows included) and
 * {@code DIR/reference-tables} (one table a line).
 *
 * <p>{@code --revisions N}: the history of a growing application schema, one change a revision
 * ({@link ChangeKind}; the slug starts with the kind's words). {@code --wide T}: one revision that
 * creates {@code T} tables and {@code T / 10} views, for snapshot benchmarks.
 */
public final class CorpusGenerator {

    private CorpusGenerator() {}

    /** Generates and writes a history of {@code revisions} revisions. */
    public static Corpus history(int revisions, long seed, Path out) {
        Corpus corpus = history(revisions, seed);
        corpus.write(out);
        return corpus;
    }

    /** Generates a history of {@code revisions} revisions without writing it. */
    public static Corpus history(int revisions, long seed) {
        if (revisions < 1) {
            throw new IllegalArgumentException("--revisions must be at least 1, not " + revisions);
        }
        return HistoryGenerator.generate(revisions, seed);
    }

    /** Generates and writes a wide schema of {@code tables} tables in one revision. */
    public static Corpus wide(int tables, long seed, Path out) {
        Corpus corpus = wide(tables, seed);
        corpus.write(out);
        return corpus;
    }

    /** Generates a wide schema of {@code tables} tables without writing it. */
    public static Corpus wide(int tables, long seed) {
        if (tables < 1) {
            throw new IllegalArgumentException("--wide must be at least 1, not " + tables);
        }
        return WideGenerator.generate(tables, seed);
    }

    public static void main(String[] args) {
        Integer revisions = null;
        Integer tables = null;
        Long seed = null;
        Path out = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--revisions" -> revisions = Integer.valueOf(required(args[i], value));
                    case "--wide" -> tables = Integer.valueOf(required(args[i], value));
                    case "--seed" -> seed = Long.valueOf(required(args[i], value));
                    case "--out" -> out = Path.of(required(args[i], value));
                    default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
                }
                i++;
            }
            if ((revisions == null) == (tables == null) || seed == null || out == null) {
                throw new IllegalArgumentException("Give --revisions N or --wide T, and --seed S and --out DIR");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: CorpusGenerator (--revisions N | --wide T) --seed S --out DIR");
            System.exit(2);
            return;
        }
        long start = System.nanoTime();
        Corpus corpus = revisions != null ? history(revisions, seed, out) : wide(tables, seed, out);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(String.format(
                Locale.ROOT,
                "%d revisions written to %s in %.2f s; head: %s",
                corpus.revisions().size(),
                out,
                seconds,
                corpus.counts()));
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
