package org.bemserver.schema.catalog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import javax.sql.DataSource;
import org.bemserver.schema.EnvironmentException;

/**
 * Some catalog queries read on a second connection while the first connection reads the others,
 * both in one picture of the catalog: the first exports its snapshot
 * ({@code pg_export_snapshot}) and the second imports it, as {@code pg_dump --jobs} does.
 *
 * <p>A second connection that cannot be opened, cannot share the snapshot or fails a query fails
 * the reading, saying so; it is not replaced by the first connection. Such a fallback hid a broken
 * second connection from the tests (issue #14), and the databases read this way are throwaway
 * ones on a server the goal already holds other connections to.
 */
final class SecondConnection implements RowSource {

    private final RowSource first;
    private final List<String> queries;
    private final FutureTask<Map<String, List<CatalogRow>>> rows;

    private SecondConnection(RowSource first, List<String> queries, FutureTask<Map<String, List<CatalogRow>>> rows) {
        this.first = first;
        this.queries = queries;
        this.rows = rows;
    }

    /**
     * Starts reading {@code queries} on a connection of {@code dataSource} that shares the snapshot
     * of the transaction of {@code connection}, which {@link SnapshotReader#inReadTransaction}
     * began; the second connection opens while the first one works.
     *
     * @param first where the other queries are read: on {@code connection}
     */
    static SecondConnection start(
            Connection connection, RowSource first, DataSource dataSource, List<String> schemas, List<String> queries)
            throws SQLException {
        String snapshot;
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
            result.next();
            snapshot = result.getString(1);
        }
        FutureTask<Map<String, List<CatalogRow>>> rows = new FutureTask<>(() -> {
            try (Connection second = dataSource.getConnection()) {
                second.setAutoCommit(false);
                try (Statement statement = second.createStatement()) {
                    statement.execute(SnapshotReader.READ_ONLY + "SET TRANSACTION SNAPSHOT '"
                            + snapshot.replace("'", "''") + "'; " + SnapshotReader.SETTINGS);
                }
                Map<String, List<CatalogRow>> read = new CatalogQueries(second, schemas).readAll(queries);
                second.rollback();
                return read;
            }
        });
        Thread thread = new Thread(rows, "bemserver-snapshot");
        thread.setDaemon(true);
        thread.start();
        return new SecondConnection(first, queries, rows);
    }

    @Override
    public void forEach(String query, RowHandler handler) throws SQLException {
        if (queries.contains(query)) {
            RowSource.of(rows()).forEach(query, handler);
        } else {
            first.forEach(query, handler);
        }
    }

    /** What the second connection read, once it has. */
    private Map<String, List<CatalogRow>> rows() {
        try {
            return rows.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw SnapshotReader.catalogError("Cannot read the catalog on a second connection", sql);
            }
            if (cause instanceof RuntimeException runtime) {
                // a connection failure already explained (ConnectionException), or a defect here
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while reading the catalog", e);
        }
    }
}
