package org.bemserver.schema.catalog;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import javax.sql.DataSource;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.SqlResource;
import org.postgresql.PGStatement;

/**
 * Reads a {@link Snapshot} of the managed schemas with one catalog query per object kind, never
 * one per table, inside one read-only repeatable-read transaction (a consistent picture) whose
 * search path is empty, so that PostgreSQL's deparsers qualify every name the same way on both
 * sides of a comparison.
 */
public final class SnapshotReader {

    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        for (String name : List.of("schemas", "extensions", "types", "sequences", "tables", "columns", "constraints",
                "indexes", "views", "functions", "triggers", "policies", "privileges", "dependencies")) {
            QUERIES.put(name, SqlResource.read(SnapshotReader.class, name + ".sql"));
        }
    }

    /** The queries a second connection runs, about half of the server's work on large schemas. */
    private static final List<String> HELPER_QUERIES = List.of("constraints", "dependencies");

    private static final Map<String, String> CONSTRAINT_LABELS = Map.of(
            "p", "primary key", "u", "unique constraint", "f", "foreign key", "c", "check constraint",
            "x", "exclusion constraint");

    private static final Map<String, String> TRIGGER_STATES = Map.of(
            "O", "enabled", "D", "disabled", "R", "enabled on replica", "A", "enabled always");

    private static final Set<Integer> UNQUOTED_TYPES = Set.of(
            Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.NUMERIC, Types.DECIMAL, Types.REAL, Types.FLOAT,
            Types.DOUBLE, Types.BIT, Types.BOOLEAN);

    private SnapshotReader() {}

    /**
     * Reads on two connections of {@code dataSource} at once, sharing one snapshot of the catalog
     * ({@code pg_export_snapshot}, as {@code pg_dump --jobs} does): the dependency and constraint
     * queries run on the second while the others run on the first. Falls back to one connection
     * when the second cannot be opened or cannot share the snapshot.
     *
     * @see #read(Connection, List, Set, List)
     */
    public static Snapshot read(DataSource dataSource, List<String> schemas, Set<String> excludedTables,
            List<String> referenceTables) {
        try (Connection connection = dataSource.getConnection()) {
            return read(connection, dataSource, schemas, excludedTables, referenceTables, true);
        } catch (SQLException e) {
            throw catalogError(e);
        }
    }

    /**
     * @param connection a connection; its own transaction state is left as it was found
     * @param schemas the managed schemas
     * @param excludedTables tables to leave out, as {@code schema.table} (the history table)
     * @param referenceTables tables whose rows belong to the schema, as {@code table} (in the first
     *     managed schema) or {@code schema.table}
     */
    public static Snapshot read(Connection connection, List<String> schemas, Set<String> excludedTables,
            List<String> referenceTables) {
        return read(connection, null, schemas, excludedTables, referenceTables, true);
    }

    /**
     * {@link #read(DataSource, List, Set, List)} without the dependencies between objects, which
     * only script generation needs.
     */
    public static Snapshot readForComparison(DataSource dataSource, List<String> schemas, Set<String> excludedTables,
            List<String> referenceTables) {
        try (Connection connection = dataSource.getConnection()) {
            return read(connection, dataSource, schemas, excludedTables, referenceTables, false);
        } catch (SQLException e) {
            throw catalogError(e);
        }
    }

    /**
     * The same without the dependencies between objects, which only script generation needs: a
     * third of the server's work on small schemas, for callers that compare many snapshots (the
     * stairway of {@code db-check}).
     */
    public static Snapshot readForComparison(Connection connection, List<String> schemas, Set<String> excludedTables,
            List<String> referenceTables) {
        return read(connection, null, schemas, excludedTables, referenceTables, false);
    }

    private static Snapshot read(Connection connection, DataSource helpers, List<String> schemas, Set<String> excludedTables,
            List<String> referenceTables, boolean withDependencies) {
        return inReadTransaction(connection, () -> {
            Reading reading = new Reading(connection, schemas, excludedTables, withDependencies);
            if (helpers != null) {
                reading.startHelper(helpers);
            }
            return reading.read(referenceTables);
        });
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
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // in one round trip; on large schemas the catalog queries pass jit_above_cost, and
                // compiling them takes longer than running them (200 ms of 850 for the dependencies
                // of 1000 tables)
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; "
                        + "SET LOCAL search_path = ''; SET LOCAL jit = off");
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
     * caller's {@link #inReadTransaction} with the queries {@code queries} only; or of every
     * owner when {@code owners} is {@code null}. Without dependencies and reference rows.
     */
    static Owned readOwned(Connection connection, List<String> schemas, Set<String> excludedTables, Long[] owners,
            Set<String> queries) throws SQLException {
        Reading reading = new Reading(connection, schemas, excludedTables, false);
        reading.track(owners, queries);
        reading.readObjects();
        return new Owned(reading.objects, reading.columnOrder, reading.owned);
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
        return new Reading(connection, schemas, Set.of(), false).rows(table);
    }

    static EnvironmentException catalogError(SQLException e) {
        return new EnvironmentException("Cannot read the catalog: " + String.valueOf(e.getMessage()).lines().findFirst()
                .orElse("") + " (SQL state " + e.getSQLState() + ")", e);
    }

    /** One reading, on one connection. */
    private static final class Reading {

        private final Connection connection;
        private final List<String> schemas;
        private final Set<String> excluded;
        private final boolean withDependencies;
        private final Map<String, DbObject> objects = new HashMap<>();
        private final Map<String, List<String>> columnOrder = new LinkedHashMap<>();

        /** The rows of the {@link #HELPER_QUERIES}, read on a second connection, or {@code null}. */
        private FutureTask<Map<String, List<String[]>>> helper;

        /** For a tracked reading: the keys of each owner's objects; otherwise {@code null}. */
        private Map<Long, Set<String>> owned;
        /** The owners to read, or {@code null} for all. */
        private Long[] owners;
        /** The queries to run, or {@code null} for all. */
        private Set<String> queries;
        /** The owner of the row being handled. */
        private long owner;
        /** For a reading of some owners: the rows of every query, read in one round trip. */
        private Map<String, List<String[]>> prefetched;

        Reading(Connection connection, List<String> schemas, Set<String> excluded, boolean withDependencies) {
            this.connection = connection;
            this.schemas = schemas;
            this.excluded = excluded;
            this.withDependencies = withDependencies;
        }

        /**
         * Starts reading the {@link #HELPER_QUERIES} on a connection of {@code dataSource} that
         * shares this transaction's snapshot; the connection opens while this one works.
         */
        void startHelper(DataSource dataSource) throws SQLException {
            String snapshot;
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
                result.next();
                snapshot = result.getString(1);
            }
            helper = new FutureTask<>(() -> {
                try (Connection second = dataSource.getConnection()) {
                    second.setAutoCommit(false);
                    try (Statement statement = second.createStatement()) {
                        statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                        statement.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
                        statement.execute("SET LOCAL search_path = ''");
                        statement.execute("SET LOCAL jit = off");
                    }
                    Map<String, List<String[]>> rows = new HashMap<>();
                    for (String name : HELPER_QUERIES) {
                        if (!withDependencies && name.equals("dependencies")) {
                            continue;
                        }
                        List<String[]> list = new ArrayList<>();
                        run(second, name, row -> list.add(row.values()));
                        rows.put(name, list);
                    }
                    second.rollback();
                    return rows;
                }
            });
            Thread thread = new Thread(helper, "bemserver-snapshot");
            thread.setDaemon(true);
            thread.start();
        }

        /** Reads the owner of every object, and only the objects of {@code owners} unless {@code null}. */
        void track(Long[] owners, Set<String> queries) {
            this.owned = new HashMap<>();
            this.owners = owners;
            this.queries = queries;
        }

        Snapshot read(List<String> referenceTables) throws SQLException {
            readObjects();
            Map<String, Set<String>> dependencies = new HashMap<>();
            Map<String, String> ownedBy = new HashMap<>();
            if (withDependencies) {
                query("dependencies", r -> {
                    String dependent = r.getString(1);
                    String referenced = r.getString(2);
                    if (dependent.startsWith("SEQUENCE|") && referenced.startsWith("COLUMN|") && "a".equals(r.getString(3))) {
                        ownedBy.put(dependent, referenced);
                    } else if (objects.containsKey(dependent) || objects.containsKey(referenced)) {
                        dependencies.computeIfAbsent(dependent, k -> new TreeSet<>()).add(referenced);
                    }
                });
            }
            Map<String, TableRows> rows = new LinkedHashMap<>();
            for (String table : referenceTables) {
                TableRows read = rows(table);
                if (read != null) {
                    rows.put(read.table(), read);
                }
            }
            return new Snapshot(objects, columnOrder, rows, dependencies, ownedBy);
        }

        /** Every object, by one query per kind. */
        void readObjects() throws SQLException {
            if (owners != null) {
                prefetch();
            }
            query("schemas", r -> add(Kind.SCHEMA, "schema", null, null, r.getString(1), props("comment", r.getString(2))));
            query("extensions", r -> add(Kind.EXTENSION, "extension", null, null, r.getString(1),
                    props("schema", r.getString(2), "version", r.getString(3), "comment", r.getString(4))));
            query("types", r -> {
                Map<String, String> properties = props("definition", r.getString(4), "default", r.getString(6),
                        "not null", flag(r.getBoolean(7)));
                if (r.getString(8) != null) {
                    // a property per check constraint of a domain: each is added or dropped by its name
                    for (String constraint : r.getString(8).split("\u001f")) {
                        String[] parts = constraint.split("\u001e", 2);
                        properties.put("constraint " + parts[0], parts[1]);
                    }
                }
                properties.put("comment", r.getString(5));
                add(Kind.TYPE, r.getString(3), r.getString(1), null, r.getString(2), properties);
            });
            query("sequences", r -> add(Kind.SEQUENCE, "sequence", r.getString(1), null, r.getString(2),
                    props("options", r.getString(3), "owned by", r.getString(4), "comment", r.getString(5))));
            query("tables", r -> {
                if (!isExcluded(r.getString(1), r.getString(2))) {
                    add(Kind.TABLE, r.getString(3), r.getString(1), null, r.getString(2), props(
                            "unlogged", flag(r.getBoolean(4)),
                            "row level security", flag(r.getBoolean(5)),
                            "forced row level security", flag(r.getBoolean(6)),
                            "partition key", r.getString(7),
                            "partition of", r.getString(8),
                            "inherits", r.getString(9),
                            "options", emptyToNull(r.getString(10)),
                            "comment", r.getString(11)));
                }
            });
            query("columns", r -> {
                if (!isExcluded(r.getString(1), r.getString(2))) {
                    String table = r.getString(1) + "." + r.getString(2);
                    columnOrder.computeIfAbsent(table, t -> new ArrayList<>()).add(r.getString(3));
                    if (owned != null) {
                        owned.computeIfAbsent(owner, o -> new HashSet<>()).add(Owned.ORDER + table);
                    }
                    String identity = switch (r.getString(8)) {
                        case "a" -> "always";
                        case "d" -> "by default";
                        default -> null;
                    };
                    add(Kind.COLUMN, "column", r.getString(1), r.getString(2), r.getString(3), props(
                            "type", r.getString(5),
                            "not null", flag(r.getBoolean(6)),
                            "default", r.getString(7),
                            "identity", identity,
                            "identity options", emptyToNull(r.getString(13)),
                            "generated", r.getString(9) == null ? null : r.getString(9)
                                    + ("v".equals(r.getString(12)) ? " VIRTUAL" : ""),
                            "collation", r.getString(10),
                            "comment", r.getString(11)));
                }
            });
            query("indexes", r -> {
                if (!isExcluded(r.getString(1), r.getString(2))) {
                    add(Kind.INDEX, "index", r.getString(1), r.getString(2), r.getString(3), props(
                            "definition", r.getString(4), "invalid", flag(!r.getBoolean(5)), "comment", r.getString(6)));
                }
            });
            query("views", r -> add(Kind.VIEW, r.getString(3), r.getString(1), null, r.getString(2), props(
                    "definition", r.getString(4),
                    "options", emptyToNull(r.getString(5)),
                    "with no data", flag(!r.getBoolean(6)),
                    "comment", r.getString(7))));
            query("functions", r -> add(Kind.FUNCTION, r.getString(4), r.getString(1), null,
                    r.getString(2) + "(" + r.getString(3) + ")", props("body", r.getString(5), "comment", r.getString(6))));
            query("triggers", r -> add(Kind.TRIGGER, "trigger", r.getString(1), r.getString(2), r.getString(3), props(
                    "definition", r.getString(4),
                    "state", "O".equals(r.getString(5)) ? null : TRIGGER_STATES.get(r.getString(5)),
                    "comment", r.getString(6))));
            query("policies", r -> add(Kind.POLICY, "policy", r.getString(1), r.getString(2), r.getString(3),
                    props("definition", r.getString(4), "comment", r.getString(5))));
            query("privileges", r -> add(Kind.PRIVILEGE, "privileges", r.getString(1), r.getString(2), r.getString(3),
                    props("granted", r.getString(4), "on", r.getString(5))));
            // last with the dependencies: with a second connection, these two are read there meanwhile
            query("constraints", r -> {
                if (!isExcluded(r.getString(1), r.getString(2))) {
                    add(Kind.CONSTRAINT, CONSTRAINT_LABELS.get(r.getString(4)), r.getString(1), r.getString(2), r.getString(3),
                            props("definition", r.getString(5), "comment", r.getString(6)));
                }
            });
        }

        private boolean isExcluded(String schema, String table) {
            return excluded.contains(schema + "." + table);
        }

        private void add(Kind kind, String label, String schema, String table, String name, Map<String, String> properties) {
            DbObject object = new DbObject(kind, label, schema, table, name, properties);
            objects.put(object.key(), object);
            if (owned != null) {
                owned.computeIfAbsent(owner, o -> new HashSet<>()).add(object.key());
            }
        }

        /** The rows of a reference table, or {@code null} when the table does not exist here. */
        private TableRows rows(String table) throws SQLException {
            // a name as the user wrote it, each part an identifier as is (no case folding)
            String schema = table.contains(".") ? table.substring(0, table.indexOf('.')) : schemas.get(0);
            String name = table.contains(".") ? table.substring(table.indexOf('.') + 1) : table;
            String relation = null;
            List<String> keyColumns = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT c.oid::regclass::text, a.attname FROM pg_catalog.pg_class c "
                            + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                            + "LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary "
                            + "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey) "
                            + "WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p') "
                            + "ORDER BY array_position(i.indkey, a.attnum)")) {
                query.setString(1, schema);
                query.setString(2, name);
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) {
                        relation = result.getString(1);
                        if (result.getString(2) != null) {
                            keyColumns.add(result.getString(2));
                        }
                    }
                }
            }
            if (relation == null) {
                return null;
            }
            List<String> columns = new ArrayList<>();
            Map<String, List<String>> rows = new LinkedHashMap<>();
            // without a primary key, the whole row orders the rows
            String order = keyColumns.isEmpty() ? "t::text" : String.join(", ", keyColumns.stream().map(Reading::quote).toList());
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT * FROM " + relation + " t ORDER BY " + order)) {
                ResultSetMetaData meta = result.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnName(i));
                }
                while (result.next()) {
                    List<String> values = new ArrayList<>();
                    List<String> key = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        String value = literal(result.getString(i), meta.getColumnType(i));
                        values.add(value);
                        if (keyColumns.contains(columns.get(i - 1))) {
                            key.add(value);
                        }
                    }
                    rows.put(TableRows.literal(key.isEmpty() ? values : key), values);
                }
            }
            Map<String, Long> sequences = new LinkedHashMap<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT s.oid::regclass::text, pg_catalog.pg_sequence_last_value(s.oid) FROM pg_catalog.pg_depend d "
                            + "JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
                            + "WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refobjid = ?::regclass "
                            + "AND d.deptype IN ('a', 'i') ORDER BY 1")) {
                query.setString(1, relation);
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) {
                        long last = result.getLong(2);
                        Long position = result.wasNull() ? null : last;
                        sequences.put(result.getString(1), position);
                    }
                }
            }
            return new TableRows(relation, schema, name, columns, keyColumns, rows, sequences);
        }

        /**
         * Runs the queries of a reading of some owners at once, in one round trip: such readings
         * are small and many, and the round trips would cost more than the queries.
         */
        private void prefetch() throws SQLException {
            List<String> names = QUERIES.keySet().stream()
                    .filter(name -> !name.equals("dependencies") && (queries == null || queries.contains(name)))
                    .toList();
            StringBuilder sql = new StringBuilder();
            for (String name : names) {
                sql.append(restricted(name)).append(";\n");
            }
            prefetched = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
                Array schemaArray = connection.createArrayOf("text", schemas.toArray());
                Array ownerArray = connection.createArrayOf("int8", owners);
                for (int i = 0; i < names.size(); i++) {
                    query.setArray(2 * i + 1, schemaArray);
                    query.setArray(2 * i + 2, ownerArray);
                }
                // run many times: prepared on the server at once, planned once (plan_cache_mode)
                query.unwrap(PGStatement.class).setPrepareThreshold(1);
                query.execute();
                for (String name : names) {
                    List<String[]> rows = new ArrayList<>();
                    try (ResultSet result = query.getResultSet()) {
                        Row row = new Row(result, null);
                        while (result.next()) {
                            rows.add(row.values());
                        }
                    }
                    prefetched.put(name, rows);
                    query.getMoreResults();
                }
            }
        }

        /** A query restricted to the {@link #owners}: its schemas, then its owners. */
        private static String restricted(String name) {
            return "SELECT * FROM (\n" + QUERIES.get(name) + "\n) q WHERE q.owner = ANY (CAST(? AS pg_catalog.oid[]))";
        }

        private void query(String name, RowHandler handler) throws SQLException {
            if (queries != null && !queries.contains(name)) {
                return;
            }
            if (owned != null) {
                RowHandler inner = handler;
                handler = r -> {
                    owner = r.owner();
                    inner.handle(r);
                };
            }
            Map<String, List<String[]>> read = prefetched != null ? prefetched
                    : helper != null && HELPER_QUERIES.contains(name) ? helperRows() : null;
            if (read == null) {
                run(connection, name, handler);
                return;
            }
            for (String[] values : read.get(name)) {
                handler.handle(new Row(null, values));
            }
        }

        /** What the helper read, or {@code null} when it failed (the query then runs here). */
        private Map<String, List<String[]>> helperRows() {
            try {
                return helper.get();
            } catch (ExecutionException e) {
                helper = null;
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnvironmentException("Interrupted while reading the catalog", e);
            }
        }

        private void run(Connection on, String name, RowHandler handler) throws SQLException {
            try (PreparedStatement query = on.prepareStatement(QUERIES.get(name))) {
                Array array = on.createArrayOf("text", schemas.toArray());
                query.setArray(1, array);
                try (ResultSet result = query.executeQuery()) {
                    Row row = new Row(result, null);
                    while (result.next()) {
                        handler.handle(row);
                    }
                }
            }
        }

        private static String literal(String value, int sqlType) {
            if (value == null) {
                return "NULL";
            }
            if (sqlType == Types.BIT || sqlType == Types.BOOLEAN) {
                return value.equals("t") || value.equals("true") ? "true" : "false";
            }
            return UNQUOTED_TYPES.contains(sqlType) ? value : "'" + value.replace("'", "''") + "'";
        }

        private static String quote(String identifier) {
            return "\"" + identifier.replace("\"", "\"\"") + "\"";
        }

        private static String flag(boolean value) {
            return value ? "yes" : null;
        }

        private static String emptyToNull(String value) {
            return value == null || value.isEmpty() ? null : value;
        }

        private static Map<String, String> props(String... pairs) {
            Map<String, String> properties = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                properties.put(pairs[i], pairs[i + 1]);
            }
            return properties;
        }
    }

    @FunctionalInterface
    private interface RowHandler {
        void handle(Row row) throws SQLException;
    }

    /** A row of a catalog query: the current row of a result set, or values read earlier as text. */
    private record Row(ResultSet result, String[] read) {

        String getString(int column) throws SQLException {
            return result != null ? result.getString(column) : read[column - 1];
        }

        boolean getBoolean(int column) throws SQLException {
            return result != null ? result.getBoolean(column) : "t".equals(read[column - 1]);
        }

        /** The OID of the object the row belongs to: a catalog query's last column. */
        long owner() throws SQLException {
            return result != null ? result.getLong(result.getMetaData().getColumnCount()) : Long.parseLong(read[read.length - 1]);
        }

        String[] values() throws SQLException {
            String[] values = new String[result.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = result.getString(i + 1);
            }
            return values;
        }
    }
}
