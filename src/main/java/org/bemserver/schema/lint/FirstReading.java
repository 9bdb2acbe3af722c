package org.bemserver.schema.lint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The first reading of a revision, before its first statement ({@link Probe#start},
 * {@link Probe#next}): the tables of the schemas as they are now, the locks and scans of the new
 * transaction, their columns and the {@code lock_timeout}, in one query. What the revision linted
 * before on the session left ({@link Probe.Carried}) spares most of it: the columns of the tables
 * it read, and, when it ran in a transaction, the catalog scan for the tables themselves.
 */
final class FirstReading {

    /**
     * The rows every first reading has, of the tables {@code t}: the columns of the tables
     * {@code NEW} (those the last reading does not have). The locks are of every relation, kept
     * for the tables in Java (the session holds few: a join with the tables cost more).
     */
    private static final String REST = "SELECT 'schema', n.oid::int8, n.nspname::text, NULL "
            + "FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY (SCHEMAS) "
            + "UNION ALL SELECT 'lock', l.relation::int8, l.mode, NULL FROM pg_catalog.pg_locks l "
            + "WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted "
            // the counter called in the select list, not as a function scan (which builds a
            // tuplestore per table: a third of the query on 500 tables)
            + "UNION ALL SELECT 'scan', s.oid, s.scans::text, NULL FROM (SELECT t.oid, "
            + "pg_catalog.pg_stat_get_xact_numscans(t.oid::oid) AS scans FROM t OFFSET 0) AS s WHERE s.scans > 0 "
            // one index scan of pg_attribute per table read: a revision has few new tables
            + "UNION ALL SELECT * FROM (SELECT 'column', a.attrelid::int8, a.attname::text, " + Probe.COLUMN
            + " FROM (NEW) AS r, LATERAL (SELECT * "
            + "FROM pg_catalog.pg_attribute a WHERE a.attrelid = r.oid::oid AND a.attnum > 0 AND NOT a.attisdropped "
            + "OFFSET 0) AS a ORDER BY a.attrelid, a.attnum) AS columns"
            + " UNION ALL SELECT 'type', 0, y.id, pg_catalog.format_type(split_part(y.id, ':', 1)::oid, "
            + "split_part(y.id, ':', 2)::int4) FROM unnest(?::text[]) AS y(id) "
            + "UNION ALL SELECT 'timeout', 0, pg_catalog.current_setting('lock_timeout'), NULL";

    /**
     * The tables of the schemas, sorted by name, and the rows every first reading has: locks and
     * scans of the tables {@code t}, the columns of those not among the oids given (the last
     * reading's), the names now of the types given, the schemas and the {@code lock_timeout}.
     */
    private static final String START = "WITH t AS (SELECT c.oid::int8 AS oid, c.relfilenode::int8 AS file, "
            + "n.nspname || '.' || c.relname AS name "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname = ANY (SCHEMAS)) "
            + "SELECT * FROM (SELECT 'table', t.oid, t.file::text, t.name FROM t ORDER BY t.name) AS tables "
            + "UNION ALL SELECT 'encoding', 0, pg_catalog.current_setting('server_encoding'), NULL "
            + "UNION ALL SELECT * FROM ("
            + REST.replace("NEW", "SELECT oid FROM t WHERE oid NOT IN (SELECT unnest(?::int8[]))") + ") AS rest";

    /**
     * After a revision that ran in a transaction: the relations it held a lock on when it
     * committed, read again ({@code r}: those that are tables of the schemas now), the other
     * tables it had given by oid, and the rows every first reading has.
     */
    private static final String STEP = "WITH r AS (SELECT c.oid::int8 AS oid, c.relfilenode::int8 AS file, "
            + "n.nspname || '.' || c.relname AS name "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.oid = ANY (?::oid[]) AND c.relkind IN ('r', 'p', 'm') AND n.nspname = ANY (SCHEMAS)), "
            + "t AS (SELECT k.oid FROM unnest(?::int8[]) AS k(oid) UNION ALL SELECT r.oid FROM r) "
            + "SELECT 'table', r.oid, r.file::text, r.name FROM r "
            + "UNION ALL SELECT * FROM (" + REST.replace("NEW", "SELECT oid FROM r WHERE oid = ANY (?::int8[])")
            + ") AS rest";

    /** The columns of the tables given by oid, each table's in their order. */
    private static final String COLUMNS_OF = "SELECT a.attrelid::int8, a.attname, " + Probe.COLUMN
            + " FROM pg_catalog.pg_attribute a WHERE a.attrelid = ANY (?::oid[]) AND a.attnum > 0 "
            + "AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum";

    /** The relations the session holds a lock on, in the round trip of the commit. */
    private static final String COMMIT = "SET CONSTRAINTS ALL IMMEDIATE;\n"
            + "SELECT l.relation::int8 AS bemserver_locked FROM pg_catalog.pg_locks l "
            + "WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation';\nCOMMIT";

    /** Server encodings whose byte order of names is the order of their code points: Java can sort them as the server does. */
    private static final Set<String> CODE_POINT_ORDER = Set.of("UTF8", "SQL_ASCII");

    /** PostgreSQL's order of the names (collation "C": their bytes), for encodings of {@link #CODE_POINT_ORDER}. */
    private static final Comparator<Probe.Table> BY_NAME = (a, b) -> compareCodePoints(a.name(), b.name());

    private FirstReading() {}

    /** What one query read. */
    private static final class Rows {
        final List<Probe.Table> tables = new ArrayList<>();
        final Map<Long, TreeSet<String>> locks = new HashMap<>();
        final Map<Long, Long> files = new HashMap<>();
        final Map<Long, String> names = new HashMap<>();
        final Map<Long, Long> scans = new HashMap<>();
        final Map<Long, Map<String, String>> columns = new HashMap<>();
        final Map<String, String> typesNow = new HashMap<>();
        final Map<Long, String> schemas = new HashMap<>();
        String timeout = "0";
        String encoding;
    }

    /**
     * The tables of {@code schemas} as they are now and their first reading, from what
     * {@code carried} (or {@code null}) left: see {@link Probe#start} and {@link Probe#next}.
     */
    static Probe.Start read(Connection connection, List<String> schemas, Probe.Carried carried) throws SQLException {
        Probe.Reading last = carried == null ? null : carried.last();
        Map<Long, Long> lastFiles = last == null ? Map.of() : last.files();
        // the types of the columns carried, each kind once: a long history has thousands of
        // columns of a few hundred kinds, which the reading carries (with maybe some of tables
        // gone: their types are named too, and nothing is done with the names)
        Set<String> lastColumns = last == null ? Set.of() : last.kinds();
        Set<String> carriedTypes = new HashSet<>();
        for (String column : lastColumns) {
            carriedTypes.add(Probe.Reading.typeIdentity(column));
        }
        // the schemas written in the query: as a parameter, PostgreSQL's generic plan of the prepared
        // query expects several and costs more than a plan for the values at hand, so it planned
        // the query again at each revision (about 1 ms); written, the generic plan is kept
        StringBuilder literal = new StringBuilder("ARRAY[");
        for (String schema : schemas) {
            literal.append(literal.length() > 6 ? ", '" : "'")
                    .append(schema.replace("'", "''"))
                    .append('\'');
        }
        String schemasLiteral = literal.append("]::text[]").toString();
        Rows rows = null;
        Probe before = carried == null ? null : carried.probe();
        if (before != null && carried.locked() != null && CODE_POINT_ORDER.contains(before.encoding())) {
            // a table the revision before neither created, dropped, rewrote, renamed nor moved (each
            // takes a lock held to its commit) is as its last reading has it, unless its schema
            // was renamed (no lock on its tables): then every table is read
            List<Object> kept = new ArrayList<>();
            lastFiles.keySet().stream()
                    .filter(oid -> !carried.locked().contains(oid))
                    .forEach(kept::add);
            List<Object> created = new ArrayList<>();
            carried.locked().stream().filter(oid -> !lastFiles.containsKey(oid)).forEach(created::add);
            rows = query(
                    connection,
                    STEP,
                    schemasLiteral,
                    List.of(
                            connection.createArrayOf("int8", carried.locked().toArray()),
                            connection.createArrayOf("int8", kept.toArray()),
                            connection.createArrayOf("int8", created.toArray()),
                            connection.createArrayOf("text", carriedTypes.toArray())));
            if (rows.schemas.equals(before.schemas())) {
                for (Object oid : kept) {
                    rows.tables.add(new Probe.Table((Long) oid, last.names().get(oid)));
                    rows.files.put((Long) oid, lastFiles.get(oid));
                    rows.names.put((Long) oid, last.names().get(oid));
                }
                rows.tables.sort(BY_NAME);
                rows.encoding = before.encoding();
            } else {
                rows = null;
            }
        }
        if (rows == null) {
            rows = query(
                    connection,
                    START,
                    schemasLiteral,
                    List.of(
                            connection.createArrayOf("int8", lastFiles.keySet().toArray()),
                            connection.createArrayOf("text", carriedTypes.toArray())));
        }
        return reading(connection, rows, last, lastColumns);
    }

    /** Runs {@code sql} (START or STEP) with {@code parameters}, and keeps its rows. */
    private static Rows query(Connection connection, String sql, String schemas, List<java.sql.Array> parameters)
            throws SQLException {
        Rows rows = new Rows();
        try (PreparedStatement query = connection.prepareStatement(sql.replace("SCHEMAS", schemas))) {
            for (int i = 0; i < parameters.size(); i++) {
                query.setArray(i + 1, parameters.get(i));
            }
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    long oid = result.getLong(2);
                    String value = result.getString(3);
                    switch (result.getString(1)) {
                        case "table" -> {
                            rows.tables.add(new Probe.Table(oid, result.getString(4)));
                            rows.files.put(oid, Long.parseLong(value));
                            rows.names.put(oid, result.getString(4));
                        }
                        case "lock" ->
                            rows.locks
                                    .computeIfAbsent(oid, k -> new TreeSet<>())
                                    .add(value);
                        case "scan" -> rows.scans.put(oid, Long.parseLong(value));
                        case "column" ->
                            rows.columns
                                    .computeIfAbsent(oid, k -> new LinkedHashMap<>())
                                    .put(value, result.getString(4));
                        case "type" -> rows.typesNow.put(value, result.getString(4));
                        case "schema" -> rows.schemas.put(oid, value);
                        case "encoding" -> rows.encoding = value;
                        default -> rows.timeout = value;
                    }
                }
            }
        }
        return rows;
    }

    /**
     * The first reading from {@code rows}: the columns of the tables {@code last} has with the
     * same file and name taken from it, with the names of their types now.
     */
    private static Probe.Start reading(Connection connection, Rows rows, Probe.Reading last, Set<String> lastColumns)
            throws SQLException {
        Map<Long, Long> lastFiles = last == null ? Map.of() : last.files();
        rows.locks.keySet().retainAll(rows.files.keySet());
        // a table the last reading has whose file or name moved since (nothing a revision does
        // between its last statement and its commit): its columns are read now, not taken
        List<Long> moved = new ArrayList<>();
        for (Probe.Table table : rows.tables) {
            Long file = lastFiles.get(table.oid());
            if (file != null && !carried(last, table.oid(), rows)) {
                moved.add(table.oid());
            }
        }
        if (!moved.isEmpty()) {
            rows.columns.putAll(columns(connection, moved));
        }
        Map<String, String> renamed = renamed(lastColumns, rows.typesNow);
        // the kinds of the columns read now, and those carried, under their type's name now
        Set<String> kinds = new HashSet<>();
        rows.columns.values().forEach(read -> kinds.addAll(read.values()));
        for (String kind : lastColumns) {
            kinds.add(renamed.getOrDefault(kind, kind));
        }
        for (Probe.Table table : rows.tables) {
            if (!rows.columns.containsKey(table.oid()) && carried(last, table.oid(), rows)) {
                Map<String, String> read = last.columns().get(table.oid());
                if (read != null) {
                    rows.columns.put(table.oid(), named(read, renamed));
                }
            }
        }
        Probe probe = new Probe(rows.tables, rows.schemas, rows.encoding);
        return new Probe.Start(
                probe,
                new Probe.Reading(
                        rows.locks, rows.files, rows.names, rows.scans, rows.columns, rows.timeout, null, kinds));
    }

    /** Whether {@code last} has {@code table} with the same file and name as {@code rows}. */
    private static boolean carried(Probe.Reading last, long table, Rows rows) {
        return last != null
                && rows.files.get(table).equals(last.files().get(table))
                && rows.names.get(table).equals(last.names().get(table));
    }

    /** The columns of {@code tables} now, by oid. */
    private static Map<Long, Map<String, String>> columns(Connection connection, List<Long> tables)
            throws SQLException {
        Map<Long, Map<String, String>> columns = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(COLUMNS_OF)) {
            query.setArray(1, connection.createArrayOf("int8", tables.toArray()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    columns.computeIfAbsent(result.getLong(1), k -> new LinkedHashMap<>())
                            .put(result.getString(2), result.getString(3));
                }
            }
        }
        return columns;
    }

    /**
     * The columns of {@code carried} (values of a reading) whose type has another name now
     * ({@code typeoid:typmod} to name in {@code typesNow}), each with that name: none, mostly.
     */
    private static Map<String, String> renamed(Set<String> carried, Map<String, String> typesNow) {
        Map<String, String> renamed = new HashMap<>();
        for (String column : carried) {
            String read = Probe.Reading.typeNameRead(column);
            String now = typesNow.get(Probe.Reading.typeIdentity(column));
            if (now != null && !now.equals(read)) {
                renamed.put(column, now + column.substring(read.length()));
            }
        }
        return renamed;
    }

    /** {@code columns} with the columns {@link #renamed} gives replaced, the same map when none is. */
    private static Map<String, String> named(Map<String, String> columns, Map<String, String> renamed) {
        Map<String, String> named = null;
        if (!renamed.isEmpty()) {
            for (Map.Entry<String, String> column : columns.entrySet()) {
                String now = renamed.get(column.getValue());
                if (now != null) {
                    if (named == null) {
                        named = new LinkedHashMap<>(columns);
                    }
                    named.put(column.getKey(), now);
                }
            }
        }
        return named == null ? columns : named;
    }

    /**
     * Commits the session's transaction, and returns the relations it held a lock on: every table
     * it created, dropped, rewrote, renamed or moved to another schema is among them (each takes a
     * lock held to the commit). Deferred constraints are checked first, as the commit checks
     * them: what their triggers lock is among them too.
     */
    static Set<Long> commit(Connection connection) throws SQLException {
        Set<Long> locked = new HashSet<>();
        try (Statement statement = connection.createStatement()) {
            boolean rows = statement.execute(COMMIT);
            while (rows || statement.getUpdateCount() != -1) {
                if (rows) {
                    try (ResultSet result = statement.getResultSet()) {
                        while (result.next()) {
                            locked.add(result.getLong(1));
                        }
                    }
                }
                rows = statement.getMoreResults();
            }
        }
        return locked;
    }

    /** Compares by code point: the order of the bytes of UTF-8. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
