package org.bemserver.schema.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

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

    static <T> T run(DataSource dataSource, HistoryTable history, String defaultSchema, Work<T> work) throws SQLException {
        try (MigrationLock run = MigrationLock.acquireRun(dataSource, history);
                Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            boolean committed = false;
            try {
                MigrationLock.acquireFlywayInTransaction(connection, history);
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
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SHOW search_path")) {
            result.next();
            searchPath = result.getString(1);
        }
        if (searchPath.equals(schema) || searchPath.startsWith(schema + ",")) {
            return;
        }
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
            set.setString(1, HistoryTable.quote(schema) + (searchPath.isBlank() ? "" : "," + searchPath));
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
