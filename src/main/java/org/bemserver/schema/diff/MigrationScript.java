package org.bemserver.schema.diff;

import java.util.List;
import java.util.Optional;

/**
 * The SQL that turns one database into another, as ordered statements, each optionally preceded
 * by a warning ({@code -- WARNING: drops table public.x and its rows (data loss)}). A warning that
 * starts with {@value #KNOWN_LIMIT} foretells that PostgreSQL refuses the statement, in a case the
 * engine cannot script, and says what to do instead ({@code -- WARNING: known limit: lowers
 * extension ...}).
 *
 * @param statements the statements in the order they must run
 */
public record MigrationScript(List<Statement> statements) {

    /** How the warning of a statement PostgreSQL is known to refuse starts. */
    public static final String KNOWN_LIMIT = "known limit: ";

    private static final String PREAMBLE = "SET LOCAL check_function_bodies = off;\n";

    /**
     * One statement.
     *
     * @param sql the SQL, without the final {@code ;}
     * @param warning why it loses data, or why PostgreSQL refuses it ({@value #KNOWN_LIMIT}...), or {@code null}
     * @param opensStep whether it is the first statement of a step (a blank line sets steps apart)
     * @param review what a reader must check because the engine guessed it (a rename), or {@code null}
     */
    public record Statement(String sql, String warning, boolean opensStep, String review) {

        public Statement(String sql, String warning, boolean opensStep) {
            this(sql, warning, opensStep, null);
        }

        /** Whether its warning foretells that PostgreSQL refuses it: a case the engine cannot script. */
        public boolean isKnownLimit() {
            return warning != null && warning.startsWith(KNOWN_LIMIT);
        }

        /** Its text as {@link #render()} writes it: warning and review comments, the SQL and its {@code ;}. */
        private String rendered() {
            StringBuilder text = new StringBuilder();
            if (warning != null) {
                text.append("-- WARNING: ").append(warning).append('\n');
            }
            if (review != null) {
                text.append("-- REVIEW: ").append(review).append('\n');
            }
            String last = sql.substring(sql.lastIndexOf('\n') + 1);
            return text.append(sql)
                    .append(last.contains("--") ? "\n;" : ";")
                    .append('\n')
                    .toString();
        }
    }

    /** The warning of a statement PostgreSQL is known to refuse, from why it refuses it and what to do. */
    static String knownLimit(String why) {
        return KNOWN_LIMIT + why;
    }

    public MigrationScript {
        statements = List.copyOf(statements);
    }

    public boolean isEmpty() {
        return statements.isEmpty();
    }

    /** Whether a statement loses data. */
    public boolean isDestructive() {
        return statements.stream().anyMatch(statement -> statement.warning() != null);
    }

    /** The statements marked {@code -- REVIEW}: guesses (renames) a reader must confirm. */
    public long guesses() {
        return statements.stream()
                .filter(statement -> statement.review() != null)
                .count();
    }

    /**
     * The script as Flyway runs it, in one transaction: function bodies are not checked on creation
     * ({@code SET LOCAL}, so only for this transaction), as pg_dump does, so that a function may
     * come before the tables it reads.
     */
    public String render() {
        if (statements.isEmpty()) {
            return "";
        }
        StringBuilder sql = new StringBuilder(PREAMBLE);
        for (Statement statement : statements) {
            if (statement.opensStep()) {
                sql.append('\n');
            }
            sql.append(statement.rendered());
        }
        return sql.toString();
    }

    /**
     * The statement that line {@code line} (from 1) of {@link #render()} belongs to, its comments
     * included: how a failure PostgreSQL reports at a line of the script is traced back to the
     * statement the engine wrote, and to its warning.
     */
    public Optional<Statement> statementAt(int line) {
        int last = (int) PREAMBLE.lines().count();
        for (Statement statement : statements) {
            int first = last + (statement.opensStep() ? 2 : 1);
            last = first + (int) statement.rendered().lines().count() - 1;
            if (line >= first && line <= last) {
                return Optional.of(statement);
            }
        }
        return Optional.empty();
    }
}
