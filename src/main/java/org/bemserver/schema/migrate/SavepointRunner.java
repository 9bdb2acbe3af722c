package org.bemserver.schema.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.bemserver.schema.migrate.SqlScript.StatementFailure;

/**
 * Runs parsed scripts over JDBC, several statements to a round trip between a savepoint and its
 * release where pgjdbc can pipeline them, and statement by statement where it cannot or where a
 * failure must be named.
 */
final class SavepointRunner {

    /** The savepoint that brackets a script sent in one round trip. */
    private static final String SAVEPOINT = "bemserver_script";

    /** The savepoint that brackets scripts sent together. */
    private static final String TOGETHER_SAVEPOINT = "bemserver_scripts";

    private SavepointRunner() {}

    /** See {@link SqlScript#run}. */
    static void run(SqlScript script, Connection connection) throws StatementFailure {
        if (!inOneRoundTrip(script, connection)) {
            runEach(script, connection);
            return;
        }
        List<SqlScript.Statement> statements = script.statements();
        SqlScript.Statement first = statements.get(0);
        SqlScript.Statement last = statements.get(statements.size() - 1);
        try (Statement jdbc = SqlScript.jdbcStatement(connection)) {
            try {
                jdbc.execute(batch(SAVEPOINT, List.of(script)));
                return;
            } catch (SQLException e) {
                try {
                    jdbc.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
                } catch (SQLException lost) {
                    throw new StatementFailure(first, last, e);
                }
            }
            runEach(script, connection);
            jdbc.execute("RELEASE SAVEPOINT " + SAVEPOINT);
        } catch (SQLException e) {
            throw new StatementFailure(first, last, e);
        }
    }

    /** Statement by statement, one round trip each. */
    private static void runEach(SqlScript script, Connection connection) throws StatementFailure {
        for (SqlScript.Statement statement : script.statements()) {
            try (Statement jdbc = SqlScript.jdbcStatement(connection)) {
                statement.runOn(jdbc);
            } catch (SQLException e) {
                throw new StatementFailure(statement, e);
            }
        }
    }

    private static boolean inOneRoundTrip(SqlScript script, Connection connection) {
        try {
            return script.statements().size() > 1 && !connection.getAutoCommit() && script.splittable();
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Runs scripts that {@link SqlScript#canRunTogether} one after another in one round trip,
     * between a savepoint and its release, in the connection's transaction: the server runs them
     * back to back instead of waiting for the client between them. When the database refuses a
     * statement, the transaction goes back to the savepoint and this returns {@code false}: nothing
     * of the scripts is left, and the caller runs them one at a time, which names the statement
     * refused (or completes them, if the failure was transient).
     *
     * @throws SQLException the refusal, when the transaction cannot go back to the savepoint (the
     *     connection was lost)
     */
    static boolean runTogether(Connection connection, List<SqlScript> scripts) throws SQLException {
        try (Statement jdbc = SqlScript.jdbcStatement(connection)) {
            try {
                jdbc.execute(batch(TOGETHER_SAVEPOINT, scripts));
                return true;
            } catch (SQLException e) {
                try {
                    jdbc.execute("ROLLBACK TO SAVEPOINT " + TOGETHER_SAVEPOINT + "; RELEASE SAVEPOINT "
                            + TOGETHER_SAVEPOINT);
                } catch (SQLException lost) {
                    e.addSuppressed(lost);
                    throw e;
                }
                return false;
            }
        }
    }

    /** The scripts as one text: savepoint, statements, release. */
    private static String batch(String savepoint, List<SqlScript> scripts) {
        return "SAVEPOINT " + savepoint + ";\n" + statements(scripts) + "RELEASE SAVEPOINT " + savepoint;
    }

    /** The statements of {@code scripts}, each terminated, on lines of their own. */
    static String statements(List<SqlScript> scripts) {
        StringBuilder text = new StringBuilder();
        for (SqlScript script : scripts) {
            for (SqlScript.Statement statement : script.statements()) {
                text.append(statement.terminated()).append('\n');
            }
        }
        return text.toString();
    }
}
