package org.bemserver.schema.diff;

import java.util.List;

/**
 * The SQL that turns one database into another, as ordered statements, each optionally preceded
 * by a warning ({@code -- WARNING: drops table public.x and its rows (data loss)}).
 *
 * @param statements the statements in the order they must run
 */
public record MigrationScript(List<Statement> statements) {

    /**
     * One statement.
     *
     * @param sql the SQL, without the final {@code ;}
     * @param warning why it loses data, or {@code null}
     * @param opensStep whether it is the first statement of a step (a blank line sets steps apart)
     * @param review what a reader must check because the engine guessed it (a rename), or {@code null}
     */
    public record Statement(String sql, String warning, boolean opensStep, String review) {

        public Statement(String sql, String warning, boolean opensStep) {
            this(sql, warning, opensStep, null);
        }
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
        StringBuilder sql = new StringBuilder("SET LOCAL check_function_bodies = off;\n");
        for (Statement statement : statements) {
            if (statement.opensStep()) {
                sql.append('\n');
            }
            if (statement.warning() != null) {
                sql.append("-- WARNING: ").append(statement.warning()).append('\n');
            }
            if (statement.review() != null) {
                sql.append("-- REVIEW: ").append(statement.review()).append('\n');
            }
            String text = statement.sql();
            String last = text.substring(text.lastIndexOf('\n') + 1);
            sql.append(text).append(last.contains("--") ? "\n;" : ";").append('\n');
        }
        return sql.toString();
    }
}
