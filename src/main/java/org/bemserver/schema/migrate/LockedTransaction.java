package org.bemserver.schema.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.bemserver.schema.Identifiers;

/**
 * Work that changes the schema and its history in one transaction, under the run lock and
 * Flyway's lock, with the search path Flyway gives migrations. Committed when the work returns,
 * rolled back when it throws.
 */
final class LockedTransaction {

    /** The work; it may throw SQL exceptions, which roll everything back. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private LockedTransaction() {}

    @SuppressWarnings("try") // the run lock is held, not used: it keeps other runs out while this one works
    static <T> T run(DataSource dataSource, HistoryTable history, String defaultSchema, Locking locking, Work<T> work)
            throws SQLException {
        try (MigrationLock run = MigrationLock.acquireRun(dataSource, history, locking);
                Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            boolean committed = false;
            try {
                MigrationLock.acquireFlywayInTransaction(connection, history, locking);
                useDefaultSchema(connection, defaultSchema);
                T result = work.run(connection);
                connection.commit();
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    rollbackQuietly(connection);
                }
            }
        }
    }

    /**
     * Puts {@code schema} first on the search path, as Flyway does before it runs migrations
     * ({@code PostgreSQLConnection.changeCurrentSchemaTo}), so that unqualified names in undo scripts
     * and model files resolve as they do in migrations.
     */
    static void useDefaultSchema(Connection connection, String schema) throws SQLException {
        String searchPath;
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW search_path")) {
            result.next();
            searchPath = result.getString(1);
        }
        if (searchPath.equals(schema) || searchPath.startsWith(schema + ",")) {
            return;
        }
        setSearchPath(connection, Identifiers.quoted(schema) + (searchPath.isBlank() ? "" : "," + searchPath));
    }

    /** The session's search path, to restore it between scripts with {@link #restoreSession}. */
    static String searchPath(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW search_path")) {
            result.next();
            return result.getString(1);
        }
    }

    /**
     * Undoes what a script may have changed in the session ({@code SET ROLE}, {@code SET search_path}),
     * so the next script starts as every script does; Flyway restores the role between migrations too.
     */
    static void restoreSession(Connection connection, String searchPath) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("RESET ROLE");
        }
        setSearchPath(connection, searchPath);
    }

    private static void setSearchPath(Connection connection, String searchPath) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
            set.setString(1, searchPath);
            set.execute();
        }
    }

    static void rollbackQuietly(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is gone; the server rolls the transaction back itself
        }
    }
}
