package org.bemserver.schema.migrate;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A SQL script split into its statements, each with the line it starts on, by PostgreSQL's
 * lexical rules: {@code ;} ends a statement except inside quotes ({@code '...'}, {@code E'...'},
 * {@code "..."}), dollar quotes ({@code $tag$...$tag$}), comments ({@code --}, nested
 * {@code /* *}{@code /}) and SQL-standard function bodies ({@code BEGIN ATOMIC ... END}). Empty
 * statements (a doubled {@code ;;}) are dropped.
 *
 * @param name the script's file name, for messages
 * @param statements the statements in order
 * @param executeInTransaction the transaction its {@code .conf} file forces ({@link ScriptConfig}),
 *     or {@code null} when its statements decide
 */
public record SqlScript(String name, List<Statement> statements, Boolean executeInTransaction) {

    /**
     * Statements Flyway's PostgreSQL parser runs outside a transaction ({@code PostgreSQLParser}
     * of Flyway 13, on PostgreSQL 12 and later), on the same words: PostgreSQL refuses more in a
     * transaction block ({@link Statement#canRunInTransaction}), which Flyway runs in one.
     */
    private static final Pattern FLYWAY_NON_TRANSACTIONAL = Pattern.compile(
            "^(?:(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION)|ALTER SYSTEM|(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY"
                    // Flyway reads the keywords outside parentheses: REINDEX (VERBOSE) SCHEMA is one
                    + "|REINDEX( \\(.*?\\))?( VERBOSE)? (SCHEMA|DATABASE|SYSTEM)|VACUUM|DISCARD ALL)");

    /**
     * One statement.
     *
     * @param line the line of the script it starts on (1-based)
     * @param sql its text, without the terminating {@code ;}
     * @param words its words, upper case, comments dropped, whitespace folded, for the checks below
     * @param data what follows the {@code ;} of a {@code COPY ... FROM stdin} in the script: the
     *     rest of its line, then its data lines up to and with the {@code \.} line, as written;
     *     {@code null} for any other statement
     */
    public record Statement(int line, String sql, String words, String data) {

        public Statement(int line, String sql, String words) {
            this(line, sql, words, null);
        }

        /**
         * Statements PostgreSQL refuses inside a transaction block (it calls
         * {@code PreventInTransactionBlock} for them), matched on the statement's leading words: one
         * pattern of alternatives, so a statement costs one match rather than one per kind.
         */
        private static final Pattern NON_TRANSACTIONAL = Pattern.compile(
                Stream.of(
                                "CREATE (UNIQUE )?INDEX CONCURRENTLY\\b",
                                "DROP INDEX CONCURRENTLY\\b",
                                "REINDEX( \\(.*?\\))? (INDEX|TABLE|SCHEMA|DATABASE|SYSTEM) CONCURRENTLY\\b",
                                "REINDEX( \\(.*?\\))? (SCHEMA|DATABASE|SYSTEM)\\b",
                                "VACUUM\\b",
                                "(CREATE|DROP) DATABASE\\b",
                                "ALTER DATABASE \\S+ SET TABLESPACE\\b",
                                "(CREATE|DROP) TABLESPACE\\b",
                                "ALTER SYSTEM\\b",
                                "CLUSTER( VERBOSE)?$",
                                "(CREATE|DROP) SUBSCRIPTION\\b",
                                // with its refresh, which SET/ADD/DROP PUBLICATION do unless told not to
                                // (a boolean: false, off or 0), or setting failover or two_phase
                                "ALTER SUBSCRIPTION \\S+ (REFRESH PUBLICATION\\b|(SET|ADD|DROP) PUBLICATION\\b"
                                        + "(?!.*\\bREFRESH ?= ?'?(FALSE|OFF|0)\\b)|SET \\(.*\\b(FAILOVER|TWO_PHASE)\\b)",
                                "(COMMIT|ROLLBACK) PREPARED\\b",
                                "DISCARD ALL\\b",
                                "ALTER TABLE .* DETACH PARTITION \\S+ CONCURRENTLY\\b")
                        .collect(Collectors.joining("|", "^(?:", ")")),
                Pattern.DOTALL);

        /** Statements that end or start a transaction themselves. */
        private static final Pattern TRANSACTION_CONTROL = Pattern.compile(
                "^(BEGIN|START TRANSACTION|COMMIT|END|ROLLBACK|ABORT|PREPARE TRANSACTION)\\b(?! ATOMIC).*",
                Pattern.DOTALL);

        private static final Pattern COPY_FROM_STDIN = Pattern.compile("^COPY .* FROM STDIN\\b.*", Pattern.DOTALL);

        /** Whether PostgreSQL can run this statement inside a transaction block. */
        public boolean canRunInTransaction() {
            // the pattern is anchored at the start: lookingAt does not try every later position as find does
            return !NON_TRANSACTIONAL.matcher(words).lookingAt();
        }

        /** Statements after which the session may differ from the one the next script expects. */
        private static final Pattern CHANGES_SESSION = Pattern.compile(
                "^(SET ((SESSION|LOCAL) )?(ROLE|SESSION AUTHORIZATION|SEARCH_PATH|SCHEMA)\\b|RESET\\b).*|.*\\bSET_CONFIG ?\\(.*",
                Pattern.DOTALL);

        /**
         * Whether this statement may change the session's role or search path ({@code SET ROLE},
         * {@code SET search_path}, {@code RESET}, {@code set_config(...)}).
         */
        public boolean changesSession() {
            // the pattern's second branch scans the whole statement: most statements are ruled out by its words first
            return (words.startsWith("SET") || words.startsWith("RESET") || words.contains("SET_CONFIG"))
                    && CHANGES_SESSION.matcher(words).matches();
        }

        /** Whether this statement begins, commits or aborts a transaction itself. */
        public boolean isTransactionControl() {
            return TRANSACTION_CONTROL.matcher(words).matches();
        }

        /** Whether this is {@code COPY ... FROM stdin}, whose data lines follow it ({@link #data}). */
        public boolean isCopyFromStdin() {
            return COPY_FROM_STDIN.matcher(words).matches();
        }

        /**
         * Runs this statement alone on {@code jdbc}'s connection: a {@code COPY ... FROM stdin}
         * with its rows through pgjdbc's copy API, as psql and Flyway feed them, any other as it
         * is.
         */
        public void runOn(java.sql.Statement jdbc) throws java.sql.SQLException {
            if (!isCopyFromStdin()) {
                jdbc.execute(sql);
                return;
            }
            // data psql and Flyway would read otherwise never run, whatever did not check them before
            String refusal = refusal();
            if (refusal != null) {
                throw new java.sql.SQLException("COPY ... FROM stdin: " + refusal);
            }
            try {
                jdbc.getConnection()
                        .unwrap(org.postgresql.PGConnection.class)
                        .getCopyAPI()
                        .copyIn(sql, new java.io.StringReader(copyRows()));
            } catch (java.io.IOException e) {
                // a StringReader does not fail
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Why the plugin cannot run this statement in a transaction of its own, or {@code null}. */
        public String refusal() {
            if (isCopyFromStdin()) {
                return copyRefusal();
            }
            if (isTransactionControl()) {
                return "it ends or starts a transaction itself: remove it, the plugin manages the transaction";
            }
            return null;
        }

        /**
         * What psql and Flyway read differently around this {@code COPY ... FROM stdin}, or
         * {@code null}: SQL after it on its own line (psql runs it after the data, Flyway skips
         * it), or data without the {@code \.} line that ends them (psql would read what follows as
         * rows; Flyway never ends).
         */
        private String copyRefusal() {
            String text = data == null ? "" : data;
            String rest = text.lines().findFirst().orElse("").strip();
            if (!rest.isEmpty() && !rest.startsWith("--")) {
                return "it is followed on its line by " + (rest.length() > 40 ? rest.substring(0, 37) + "..." : rest)
                        + ", which psql runs after the data and Flyway skips: put it on a line of its own after the data";
            }
            List<String> lines = text.lines().skip(1).toList();
            String end = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            if (!end.equals("\\.") && !end.equals("\\.\r")) {
                return "its data have no line \\. alone that ends them (Flyway also ends them at a \\. among "
                        + "spaces, psql does not): end the rows with a line holding \\. alone";
            }
            return null;
        }

        /**
         * The statement as psql reads it in a script: {@code ;} on a line of its own when the
         * statement ends in a {@code --} comment, which would otherwise swallow it; the data lines of
         * a {@code COPY ... FROM stdin} on the lines after it.
         */
        public String terminated() {
            String last = sql.substring(sql.lastIndexOf('\n') + 1);
            return sql + (last.contains("--") ? "\n;" : ";") + (data == null ? "" : data);
        }

        /**
         * The rows of a {@code COPY ... FROM stdin}, each ending in a line break, without the rest
         * of the COPY's line and the {@code \.} line: what a client feeds the server.
         */
        public String copyRows() {
            if (data == null) {
                return "";
            }
            List<String> lines = data.lines().skip(1).toList();
            int rows = lines.isEmpty() || !lines.get(lines.size() - 1).strip().equals("\\.")
                    ? lines.size()
                    : lines.size() - 1;
            return lines.subList(0, rows).stream().map(row -> row + "\n").collect(Collectors.joining());
        }

        /** The first line of the statement, shortened, for messages. */
        public String summary() {
            String first = sql.strip().lines().findFirst().orElse("");
            return first.length() > 60 ? first.substring(0, 57) + "..." : first;
        }
    }

    public SqlScript {
        statements = List.copyOf(statements);
    }

    public SqlScript(String name, List<Statement> statements) {
        this(name, statements, null);
    }

    /** The same script, with the transaction its {@code .conf} file forces. */
    public SqlScript configured(ScriptConfig config) {
        return Objects.equals(config.executeInTransaction(), executeInTransaction)
                ? this
                : new SqlScript(name, statements, config.executeInTransaction());
    }

    /**
     * Whether the script runs in a transaction: as its {@code .conf} file says, else when
     * PostgreSQL can run each of its statements in one. For a migration that {@link
     * #migrationProblem} lets through, that is how Flyway runs it too.
     */
    public boolean runsInTransaction() {
        return executeInTransaction != null
                ? executeInTransaction
                : nonTransactional().isEmpty();
    }

    /** Whether Flyway runs this migration in a transaction: as its {@code .conf} file says, else when it finds none of its statements that run outside one. */
    private boolean flywayRunsInTransaction() {
        return executeInTransaction != null
                ? executeInTransaction
                : statements.stream().noneMatch(SqlScript::flywayRunsOutside);
    }

    /** What psql and Flyway read differently around a {@code COPY ... FROM stdin} of this script, or {@code null}. */
    private String copyProblem() {
        for (Statement statement : statements) {
            String refusal = statement.isCopyFromStdin() ? statement.refusal() : null;
            if (refusal != null) {
                return at(statement) + ": " + refusal;
            }
        }
        return null;
    }

    private static boolean flywayRunsOutside(Statement statement) {
        return FLYWAY_NON_TRANSACTIONAL.matcher(statement.words()).lookingAt();
    }

    /**
     * Why db-upgrade cannot run this migration as written, as Flyway would run it, or {@code null}:
     * a statement PostgreSQL refuses in a transaction, in a migration that runs in one; or, without
     * {@code mixed}, statements that Flyway runs outside a transaction beside others it runs in one.
     */
    public String migrationProblem(boolean mixed) {
        String copy = copyProblem();
        if (copy != null) {
            return copy;
        }
        boolean inTransaction = flywayRunsInTransaction();
        for (Statement statement : statements) {
            if (inTransaction && !statement.canRunInTransaction()) {
                return at(statement) + " cannot run in a transaction, and "
                        + (executeInTransaction != null
                                ? name + ".conf sets executeInTransaction=true"
                                : "Flyway runs " + name + " in one (it runs only the statements it knows outside one)")
                        + ": write " + name
                        + ".conf holding executeInTransaction=false, or move it to a revision of its own";
            }
        }
        if (executeInTransaction == null && !mixed && !inTransaction) {
            Statement first = statements.stream()
                    .filter(SqlScript::flywayRunsOutside)
                    .findFirst()
                    .orElseThrow();
            if (statements.stream().anyMatch(s -> !flywayRunsOutside(s))) {
                return at(first) + " cannot run in a transaction, and the other statements of " + name
                        + " can: move it to a revision of its own, or allow it with -Dbemserver.mixed=true";
            }
        }
        return null;
    }

    /** A statement of a script that the database refused. */
    public static final class StatementFailure extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient Statement statement;
        private final transient Statement last;

        StatementFailure(Statement statement, java.sql.SQLException cause) {
            this(statement, null, cause);
        }

        /**
         * A failure somewhere from {@code statement} to {@code last}: the connection was lost while
         * they ran in one round trip, so which one was running is not known.
         */
        StatementFailure(Statement statement, Statement last, java.sql.SQLException cause) {
            super(cause.getMessage(), cause);
            this.statement = statement;
            this.last = last;
        }

        /** The statement refused, or the first of those that were running. */
        public Statement statement() {
            return statement;
        }

        /** Whether the statement refused is known: not one of several that ran when the connection was lost. */
        public boolean statementKnown() {
            return last == null || last == statement;
        }

        /** {@code at line 12}, or {@code in lines 1 to 9} when the statement is not known. */
        public String where() {
            return statementKnown()
                    ? "at line " + statement.line()
                    : "in lines " + statement.line() + " to " + last.line();
        }

        public java.sql.SQLException sqlException() {
            return (java.sql.SQLException) getCause();
        }
    }

    /**
     * Runs the statements in order; the first one the database refuses stops the run.
     *
     * <p>Inside a transaction, a script of several statements goes to the server in one round
     * trip (pgjdbc pipelines them), between a savepoint and its release. When it fails, the
     * transaction goes back to the savepoint and the statements run again one at a time, which
     * names the statement the database refuses (or completes the script, if the failure was
     * transient, such as a lock timeout). A lost connection cannot be replayed: its failure names
     * the range of lines that was running. Scripts with SQL-standard function bodies
     * ({@code BEGIN ATOMIC}), which pgjdbc cannot split, go statement by statement.
     */
    public void run(java.sql.Connection connection) throws StatementFailure {
        SavepointRunner.run(this, connection);
    }

    /**
     * A JDBC statement that sends script text to the server as it is, as Flyway's own does (and
     * psql): without JDBC escape processing, in which pgjdbc would rewrite escapes such as
     * {@code {fn ...}} found outside quotes, and copy every text once more to look for them.
     */
    public static java.sql.Statement jdbcStatement(java.sql.Connection connection) throws java.sql.SQLException {
        java.sql.Statement statement = connection.createStatement();
        statement.setEscapeProcessing(false);
        return statement;
    }

    /** Whether pgjdbc can send the statements together inside a transaction. */
    boolean splittable() {
        // pgjdbc does not split after a BEGIN ATOMIC body (SQL-standard function bodies): such a
        // script goes statement by statement, as does one with a COPY ... FROM stdin, fed its rows
        return statements.stream()
                .allMatch(s -> s.canRunInTransaction()
                        && s.refusal() == null
                        && !s.isCopyFromStdin()
                        && !s.words().contains("BEGIN ATOMIC"));
    }

    /**
     * Whether this script can go to the server in one round trip with others
     * ({@link SavepointRunner#runTogether}): pgjdbc can split it, and it does not change the
     * session, which a runner restores after it.
     */
    public boolean canRunTogether() {
        return splittable() && !changesSession();
    }

    /**
     * Whether a statement may change the role or search path of the session, so that the runner
     * must restore them before the next script.
     */
    public boolean changesSession() {
        return statements.stream().anyMatch(Statement::changesSession);
    }

    /** Where a statement of this script is, for messages: {@code U3__x.sql line 12 (DROP INDEX ...)}. */
    public String at(Statement statement) {
        return name + " line " + statement.line() + " (" + statement.summary() + ")";
    }

    /** Statements PostgreSQL cannot run in a transaction. */
    public List<Statement> nonTransactional() {
        return statements.stream().filter(s -> !s.canRunInTransaction()).toList();
    }

    public static SqlScript parse(String name, String text) {
        return new SqlScript(name, new StatementSplitter(text).split());
    }
}
