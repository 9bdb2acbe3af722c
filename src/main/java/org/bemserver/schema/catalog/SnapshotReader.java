package org.bemserver.schema.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.bemserver.schema.EnvironmentException;

/**
 * Reads a {@link Snapshot} of the managed schemas with one catalog query per object kind, never
 * one per table, inside one read-only repeatable-read transaction (a consistent picture) whose
 * search path is empty, so that PostgreSQL's deparsers qualify every name the same way on both
 * sides of a comparison.
 *
 * <p>Three ways to read: a whole snapshot on one connection; a whole snapshot on two connections
 * sharing one picture ({@link SecondConnection}); and the objects of some owners only, for a
 * {@link TrackedSnapshot} ({@link #readOwned}).
 */
public final class SnapshotReader {

    /** Begins a read-only repeatable-read transaction: one picture of the catalog. */
    static final String READ_ONLY = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; ";

    /**
     * The settings of a reading: an empty search path, and no JIT: on large schemas the catalog
     * queries pass jit_above_cost, and compiling them takes longer than running them (200 ms of
     * 850 for the dependencies of 1000 tables).
     */
    static final String SETTINGS = "SET LOCAL search_path = ''; SET LOCAL jit = off";

    /** The queries a second connection runs, about half of the server's work on large schemas. */
    private static final List<String> SECOND_CONNECTION_QUERIES = List.of("constraints", CatalogQueries.DEPENDENCIES);

    private SnapshotReader() {}

    /**
     * Reads on two connections of {@code dataSource} at once, sharing one snapshot of the catalog
     * ({@code pg_export_snapshot}, as {@code pg_dump --jobs} does): the dependency and constraint
     * queries run on the second while the others run on the first. A second connection that fails
     * fails the reading.
     *
     * @see #read(Connection, List, Set, List)
     */
    public static Snapshot read(
            DataSource dataSource, List<String> schemas, Set<String> excludedTables, List<String> referenceTables) {
        return onTwoConnections(dataSource, schemas, excludedTables, referenceTables, true);
    }

    /**
     * @param connection a connection; its own transaction state is left as it was found
     * @param schemas the managed schemas
     * @param excludedTables tables to leave out, as {@code schema.table} (the history table)
     * @param referenceTables tables whose rows belong to the schema, as {@code table} (in the first
     *     managed schema) or {@code schema.table}
     */
    public static Snapshot read(
            Connection connection, List<String> schemas, Set<String> excludedTables, List<String> referenceTables) {
        return onOneConnection(connection, schemas, excludedTables, referenceTables, true);
    }

    /**
     * {@link #read(DataSource, List, Set, List)} without the dependencies between objects, which
     * only script generation needs.
     */
    public static Snapshot readForComparison(
            DataSource dataSource, List<String> schemas, Set<String> excludedTables, List<String> referenceTables) {
        return onTwoConnections(dataSource, schemas, excludedTables, referenceTables, false);
    }

    /**
     * The same without the dependencies between objects, which only script generation needs: a
     * third of the server's work on small schemas, for callers that compare many snapshots (the
     * stairway of {@code db-check}).
     */
    public static Snapshot readForComparison(
            Connection connection, List<String> schemas, Set<String> excludedTables, List<String> referenceTables) {
        return onOneConnection(connection, schemas, excludedTables, referenceTables, false);
    }

    private static Snapshot onOneConnection(
            Connection connection,
            List<String> schemas,
            Set<String> excludedTables,
            List<String> referenceTables,
            boolean withDependencies) {
        return inReadTransaction(
                connection,
                () -> whole(
                        connection,
                        new CatalogQueries(connection, schemas),
                        schemas,
                        excludedTables,
                        referenceTables,
                        withDependencies));
    }

    private static Snapshot onTwoConnections(
            DataSource dataSource,
            List<String> schemas,
            Set<String> excludedTables,
            List<String> referenceTables,
            boolean withDependencies) {
        List<String> second = withDependencies ? SECOND_CONNECTION_QUERIES : List.of("constraints");
        try (Connection connection = dataSource.getConnection()) {
            return inReadTransaction(
                    connection,
                    () -> whole(
                            connection,
                            SecondConnection.start(
                                    connection, new CatalogQueries(connection, schemas), dataSource, schemas, second),
                            schemas,
                            excludedTables,
                            referenceTables,
                            withDependencies));
        } catch (SQLException e) {
            throw catalogError(e);
        }
    }

    /** Every object, the dependencies when asked, the reference rows: from {@code source}, and {@code connection}. */
    private static Snapshot whole(
            Connection connection,
            RowSource source,
            List<String> schemas,
            Set<String> excludedTables,
            List<String> referenceTables,
            boolean withDependencies)
            throws SQLException {
        CatalogObjects objects = CatalogObjects.untracked(excludedTables).read(source, CatalogQueries.OBJECTS);
        Map<String, Set<String>> dependencies = new HashMap<>();
        Map<String, String> ownedBy = new HashMap<>();
        if (withDependencies) {
            source.forEach(CatalogQueries.DEPENDENCIES, r -> {
                String dependent = r.text("dependent");
                String referenced = r.text("referenced");
                if (dependent.startsWith("SEQUENCE|")
                        && referenced.startsWith("COLUMN|")
                        && "a".equals(r.text("deptype"))) {
                    ownedBy.put(dependent, referenced);
                } else if (objects.objects().containsKey(dependent)
                        || objects.objects().containsKey(referenced)) {
                    dependencies
                            .computeIfAbsent(dependent, k -> new TreeSet<>())
                            .add(referenced);
                }
            });
        }
        Map<String, TableRows> rows = new LinkedHashMap<>();
        for (String table : referenceTables) {
            TableRows read = ReferenceRows.read(connection, schemas, table);
            if (read != null) {
                rows.put(read.table(), read);
            }
        }
        return new Snapshot(objects.objects(), objects.columnOrder(), rows, dependencies, ownedBy);
    }

    /** Work on the catalog; it may throw {@link SQLException}. */
    @FunctionalInterface
    interface CatalogWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one read-only repeatable-read transaction of {@code connection} (a
     * consistent picture) with an empty search path, then rolls it back and restores the
     * connection's auto-commit; a database error becomes an {@link EnvironmentException}.
     */
    static <T> T inReadTransaction(Connection connection, CatalogWork<T> work) {
        return inReadTransaction(connection, "", work);
    }

    /** The same, with {@code settings} ({@code ; SET LOCAL ...}) set in the same round trip. */
    static <T> T inReadTransaction(Connection connection, String settings, CatalogWork<T> work) {
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // in one round trip
                statement.execute(READ_ONLY + SETTINGS + settings);
                return work.run();
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw catalogError(e);
        }
    }

    /**
     * The objects of the owners {@code owners} (a table owns its columns, constraints, indexes,
     * triggers, policies and privileges; every other object owns itself), read inside the
     * caller's {@link #inReadTransaction} with the queries {@code queries} only (all in one round
     * trip); or of every owner with every query when {@code owners} is {@code null}. Without
     * dependencies and reference rows.
     */
    static Owned readOwned(
            Connection connection, List<String> schemas, Set<String> excludedTables, Long[] owners, Set<String> queries)
            throws SQLException {
        CatalogQueries catalog = new CatalogQueries(connection, schemas);
        CatalogObjects objects = CatalogObjects.tracked(excludedTables);
        if (owners == null) {
            objects.read(catalog, CatalogQueries.OBJECTS);
        } else {
            objects.read(catalog.restrictedTo(owners, queries), queries);
        }
        return new Owned(objects.objects(), objects.columnOrder(), objects.owned());
    }

    /**
     * Objects read by owner.
     *
     * @param objects by key
     * @param columnOrder each table's columns, by {@code schema.table}
     * @param keys for each owner's OID, the keys of its objects, and {@code ORDER|schema.table} for
     *     the column order of a table
     */
    record Owned(Map<String, DbObject> objects, Map<String, List<String>> columnOrder, Map<Long, Set<String>> keys) {

        static final String ORDER = "ORDER|";
    }

    /**
     * The rows of a reference table ({@code table} or {@code schema.table}), inside the caller's
     * {@link #inReadTransaction}, or {@code null} when the table does not exist.
     */
    static TableRows readRows(Connection connection, List<String> schemas, String table) throws SQLException {
        return ReferenceRows.read(connection, schemas, table);
    }

    static EnvironmentException catalogError(SQLException e) {
        return catalogError("Cannot read the catalog", e);
    }

    /** {@code what} failed: the first line of the database's message, and its SQL state. */
    static EnvironmentException catalogError(String what, SQLException e) {
        return new EnvironmentException(
                what + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + " (SQL state "
                        + e.getSQLState() + ")",
                e);
    }
}
