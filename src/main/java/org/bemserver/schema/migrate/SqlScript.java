package org.bemserver.schema.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 */
public record SqlScript(String name, List<Statement> statements) {

    /**
     * One statement.
     *
     * @param line the line of the script it starts on (1-based)
     * @param sql its text, without the terminating {@code ;}
     * @param words its words, upper case, comments dropped, whitespace folded, for the checks below
     */
    public record Statement(int line, String sql, String words) {

        /**
         * @param line the line the statement starts on
         * @param sql its text
         */
        public Statement(int line, String sql) {
            this(line, sql, normalize(sql));
        }

        /**
         * Statements PostgreSQL refuses inside a transaction block (it calls
         * {@code PreventInTransactionBlock} for them), matched on the statement's leading words: one
         * pattern of alternatives, so a statement costs one match rather than one per kind.
         */
        private static final Pattern NON_TRANSACTIONAL = Pattern.compile(Stream.of(
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
                        "(CREATE|DROP|ALTER) SUBSCRIPTION\\b",
                        "(COMMIT|ROLLBACK) PREPARED\\b",
                        "DISCARD ALL\\b",
                        "ALTER TABLE .* DETACH PARTITION \\S+ CONCURRENTLY\\b")
                .collect(Collectors.joining("|", "^(?:", ")")), Pattern.DOTALL);

        /** Statements that end or start a transaction themselves. */
        private static final Pattern TRANSACTION_CONTROL = Pattern.compile(
                "^(BEGIN|START TRANSACTION|COMMIT|END|ROLLBACK|ABORT|PREPARE TRANSACTION)\\b(?! ATOMIC).*", Pattern.DOTALL);

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

        /** Whether this is {@code COPY ... FROM stdin}, whose data lines psql feeds and JDBC cannot. */
        public boolean isCopyFromStdin() {
            return COPY_FROM_STDIN.matcher(words).matches();
        }

        /** Why the plugin cannot run this statement in a transaction of its own, or {@code null}. */
        public String refusal() {
            if (isCopyFromStdin()) {
                return "COPY ... FROM stdin needs psql to feed its data: write the rows as INSERT statements";
            }
            if (isTransactionControl()) {
                return "it ends or starts a transaction itself: remove it, the plugin manages the transaction";
            }
            return null;
        }

        private static final Pattern LINE_COMMENT = Pattern.compile("(?m)--.*$");
        private static final Pattern BLOCK_COMMENT = Pattern.compile("(?s)/\\*.*?\\*/");
        private static final Pattern WHITESPACE = Pattern.compile("\\s+");

        /**
         * The words, upper case, comments dropped, whitespace folded (quoted text is kept): read once
         * per statement, with patterns compiled once (a downgrade of 1000 revisions reads 1000 statements).
         */
        private static String normalize(String sql) {
            String text = BLOCK_COMMENT.matcher(LINE_COMMENT.matcher(sql).replaceAll(" ")).replaceAll(" ")
                    .replace("(", " ( ").replace(")", " ) ");
            return WHITESPACE.matcher(text.strip()).replaceAll(" ").replace("( ", "(").replace(" )", ")").toUpperCase(Locale.ROOT);
        }

        /**
         * The statement as a script line: {@code ;} on a line of its own when the statement ends in a
         * {@code --} comment, which would otherwise swallow it.
         */
        public String terminated() {
            String last = sql.substring(sql.lastIndexOf('\n') + 1);
            return sql + (last.contains("--") ? "\n;" : ";");
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

        /** {@code at line 12}, or {@code in lines 1 to 9} when the statement is not known. */
        public String where() {
            return last == null || last == statement ? "at line " + statement.line()
                    : "in lines " + statement.line() + " to " + last.line();
        }

        public java.sql.SQLException sqlException() {
            return (java.sql.SQLException) getCause();
        }
    }

    /** The savepoint that brackets a script sent in one round trip. */
    private static final String SAVEPOINT = "bemserver_script";

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
        if (!inOneRoundTrip(connection)) {
            runEach(connection);
            return;
        }
        Statement first = statements.get(0);
        Statement last = statements.get(statements.size() - 1);
        try (java.sql.Statement jdbc = connection.createStatement()) {
            try {
                jdbc.execute(batch());
                return;
            } catch (java.sql.SQLException e) {
                try {
                    jdbc.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
                } catch (java.sql.SQLException lost) {
                    throw new StatementFailure(first, last, e);
                }
            }
            runEach(connection);
            jdbc.execute("RELEASE SAVEPOINT " + SAVEPOINT);
        } catch (java.sql.SQLException e) {
            throw new StatementFailure(first, last, e);
        }
    }

    /** Statement by statement, one round trip each. */
    private void runEach(java.sql.Connection connection) throws StatementFailure {
        for (Statement statement : statements) {
            try (java.sql.Statement jdbc = connection.createStatement()) {
                jdbc.execute(statement.sql());
            } catch (java.sql.SQLException e) {
                throw new StatementFailure(statement, e);
            }
        }
    }

    private boolean inOneRoundTrip(java.sql.Connection connection) {
        try {
            return statements.size() > 1 && !connection.getAutoCommit() && splittable();
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    /** Whether pgjdbc can send the statements together inside a transaction. */
    private boolean splittable() {
        // pgjdbc does not split after a BEGIN ATOMIC body (SQL-standard function bodies): such a
        // script goes statement by statement
        return statements.stream().allMatch(s -> s.canRunInTransaction() && s.refusal() == null
                && !s.words().contains("BEGIN ATOMIC"));
    }

    /**
     * Whether this script can go to the server in one round trip with others ({@link #runTogether}):
     * pgjdbc can split it, and it does not change the session, which a runner restores after it.
     */
    public boolean canRunTogether() {
        return splittable() && !changesSession();
    }

    /** The savepoint that brackets scripts sent together. */
    private static final String TOGETHER_SAVEPOINT = "bemserver_scripts";

    /**
     * Runs scripts that {@link #canRunTogether} one after another in one round trip, between a
     * savepoint and its release, in the connection's transaction: the server runs them back to back
     * instead of waiting for the client between them. When the database refuses a statement, the
     * transaction goes back to the savepoint and this returns {@code false}: nothing of the scripts
     * is left, and the caller runs them one at a time, which names the statement refused (or
     * completes them, if the failure was transient).
     *
     * @throws java.sql.SQLException the refusal, when the transaction cannot go back to the savepoint
     *     (the connection was lost)
     */
    static boolean runTogether(java.sql.Connection connection, List<SqlScript> scripts) throws java.sql.SQLException {
        StringBuilder text = new StringBuilder("SAVEPOINT " + TOGETHER_SAVEPOINT + ";\n");
        for (SqlScript script : scripts) {
            for (Statement statement : script.statements()) {
                text.append(statement.terminated()).append('\n');
            }
        }
        text.append("RELEASE SAVEPOINT ").append(TOGETHER_SAVEPOINT);
        try (java.sql.Statement jdbc = connection.createStatement()) {
            try {
                jdbc.execute(text.toString());
                return true;
            } catch (java.sql.SQLException e) {
                try {
                    jdbc.execute("ROLLBACK TO SAVEPOINT " + TOGETHER_SAVEPOINT + "; RELEASE SAVEPOINT " + TOGETHER_SAVEPOINT);
                } catch (java.sql.SQLException lost) {
                    e.addSuppressed(lost);
                    throw e;
                }
                return false;
            }
        }
    }

    /** The script as one text: savepoint, statements, release. */
    private String batch() {
        StringBuilder text = new StringBuilder("SAVEPOINT " + SAVEPOINT + ";\n");
        for (Statement statement : statements) {
            text.append(statement.terminated()).append('\n');
        }
        return text.append("RELEASE SAVEPOINT ").append(SAVEPOINT).toString();
    }

    /**
     * Whether a statement may change the role or search path of the session, so that the runner
     * must restore them before the next script.
     */
    public boolean changesSession() {
        return statements.stream().anyMatch(Statement::changesSession);
    }

    /** Statements PostgreSQL cannot run in a transaction. */
    public List<Statement> nonTransactional() {
        return statements.stream().filter(s -> !s.canRunInTransaction()).toList();
    }

    public static SqlScript parse(String name, String text) {
        return new SqlScript(name, new Splitter(text).split());
    }

    /** A single pass over the text; a tiny lexer, not a parser. */
    private static final class Splitter {

        private final String text;
        private final List<Statement> statements = new ArrayList<>();
        private int position;
        private int line = 1;
        private int start = -1;
        private int startLine;
        private String previousWord = "";
        /** The first words of the statement, to tell a CREATE FUNCTION/PROCEDURE. */
        private final List<String> leadingWords = new ArrayList<>();
        /** Open parentheses: psql does not split inside them (CREATE RULE ... DO (a; b)). */
        private int parenDepth;
        /** Nesting inside BEGIN ATOMIC ... END: CASE and BEGIN open, END closes. */
        private int atomicDepth;

        Splitter(String text) {
            // A byte-order mark is not part of the SQL.
            this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        }

        List<Statement> split() {
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c == '-' && peek(1) == '-') {
                    skipLineComment();
                } else if (c == '/' && peek(1) == '*') {
                    skipBlockComment();
                } else if (Character.isWhitespace(c)) {
                    advance();
                } else {
                    markStart();
                    if (c == ';' && atomicDepth == 0 && parenDepth == 0) {
                        endStatement();
                        advance();
                    } else if (c == '(' || c == ')') {
                        parenDepth = Math.max(0, parenDepth + (c == '(' ? 1 : -1));
                        advance();
                    } else if (c == '\'') {
                        boolean escapes = position > 0 && (text.charAt(position - 1) == 'E' || text.charAt(position - 1) == 'e')
                                && (position < 2 || !isWordChar(text.charAt(position - 2)));
                        skipQuoted('\'', escapes);
                    } else if (c == '"') {
                        skipQuoted('"', false);
                    } else if (c == '$' && dollarTag() != null) {
                        skipDollarQuoted(dollarTag());
                    } else if (isWordStart(c)) {
                        word();
                    } else {
                        advance();
                    }
                }
            }
            endStatement();
            return statements;
        }

        private void markStart() {
            if (start < 0) {
                start = position;
                startLine = line;
            }
        }

        private void endStatement() {
            if (start >= 0) {
                String sql = text.substring(start, Math.min(position, text.length())).strip();
                if (!sql.isEmpty() && !sql.equals(";")) {
                    statements.add(new Statement(startLine, sql));
                }
            }
            start = -1;
            previousWord = "";
            leadingWords.clear();
            parenDepth = 0;
            atomicDepth = 0;
        }

        private void word() {
            int begin = position;
            while (position < text.length() && isWordChar(text.charAt(position))) {
                position++;
            }
            String word = text.substring(begin, position).toUpperCase(Locale.ROOT);
            if (leadingWords.size() < 4) {
                leadingWords.add(word);
            }
            if (atomicDepth > 0) {
                if (word.equals("CASE") || word.equals("BEGIN")) {
                    atomicDepth++;
                } else if (word.equals("END")) {
                    atomicDepth--;
                }
            } else if (word.equals("ATOMIC") && previousWord.equals("BEGIN") && parenDepth == 0 && isRoutine()) {
                atomicDepth = 1;
            }
            previousWord = word;
        }

        /** Whether the statement is CREATE [OR REPLACE] FUNCTION or PROCEDURE. */
        private boolean isRoutine() {
            List<String> words = leadingWords;
            int kind = words.size() > 2 && words.get(1).equals("OR") ? 3 : 1;
            return !words.isEmpty() && words.get(0).equals("CREATE") && words.size() > kind
                    && (words.get(kind).equals("FUNCTION") || words.get(kind).equals("PROCEDURE"));
        }

        private void skipLineComment() {
            while (position < text.length() && text.charAt(position) != '\n') {
                position++;
            }
        }

        private void skipBlockComment() {
            int depth = 0;
            do {
                if (peek(0) == '/' && peek(1) == '*') {
                    depth++;
                    position += 2;
                } else if (peek(0) == '*' && peek(1) == '/') {
                    depth--;
                    position += 2;
                } else {
                    advance();
                }
            } while (depth > 0 && position < text.length());
        }

        private void skipQuoted(char quote, boolean backslashEscapes) {
            advance();
            while (position < text.length()) {
                char c = text.charAt(position);
                if (backslashEscapes && c == '\\') {
                    advance();
                    advance();
                } else if (c == quote) {
                    advance();
                    if (peek(0) == quote) {
                        advance();
                    } else {
                        return;
                    }
                } else {
                    advance();
                }
            }
        }

        /** The dollar-quote tag starting here ({@code $$} or {@code $name$}), or null ({@code $1}, {@code a$b}). */
        private String dollarTag() {
            if (position > 0 && isWordChar(text.charAt(position - 1))) {
                return null;
            }
            int end = position + 1;
            while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                end++;
            }
            if (end < text.length() && text.charAt(end) == '$'
                    && (end == position + 1 || !Character.isDigit(text.charAt(position + 1)))) {
                return text.substring(position, end + 1);
            }
            return null;
        }

        private void skipDollarQuoted(String tag) {
            int close = text.indexOf(tag, position + tag.length());
            int end = close < 0 ? text.length() : close + tag.length();
            while (position < end) {
                advance();
            }
        }

        private char peek(int offset) {
            int index = position + offset;
            return index < text.length() ? text.charAt(index) : '\0';
        }

        private void advance() {
            if (position < text.length() && text.charAt(position) == '\n') {
                line++;
            }
            position++;
        }

        private static boolean isWordStart(char c) {
            return Character.isLetter(c) || c == '_';
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }
    }
}
