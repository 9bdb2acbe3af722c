package org.bemserver.schema.lint;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a session holds and has done to the tables that existed before a revision, read from the
 * server in one query between two statements of the revision's transaction: the relation locks of
 * its own backend ({@code pg_locks}), each table's file ({@code pg_class.relfilenode}: a new one is
 * a rewrite), its sequential scans in this transaction ({@code pg_stat_xact_user_tables}), its
 * columns, and the {@code lock_timeout} in force. Nothing is inferred from the SQL text.
 */
final class Probe {

    /** A table that existed before the revision. */
    record Table(long oid, String name) {}

    /**
     * One reading.
     *
     * @param locks the lock modes held on each table, by oid (PostgreSQL's names: {@code AccessExclusiveLock})
     * @param files each table's relfilenode; a table dropped is absent
     * @param names each table's qualified name now (a rename changes it)
     * @param scans each table's sequential scans in this transaction
     * @param columns each table's columns: name to {@code type|notnull|hasdefault}
     * @param lockTimeout the session's {@code lock_timeout} ({@code 0}: none)
     */
    record Reading(
            Map<Long, TreeSet<String>> locks,
            Map<Long, Long> files,
            Map<Long, String> names,
            Map<Long, Long> scans,
            Map<Long, Map<String, String>> columns,
            String lockTimeout) {

        /** The lock modes on {@code table} held now and not at {@code before}. */
        TreeSet<String> locksAdded(Reading before, long table) {
            TreeSet<String> added = new TreeSet<>(locks.getOrDefault(table, new TreeSet<>()));
            added.removeAll(before.locks.getOrDefault(table, new TreeSet<>()));
            return added;
        }

        /** Whether {@code table}, there at {@code before} and now, has another data file: rewritten. */
        boolean rewritten(Reading before, long table) {
            return files.containsKey(table)
                    && before.files.containsKey(table)
                    && !files.get(table).equals(before.files.get(table));
        }

        /** Whether {@code table} was read in full since {@code before}. */
        boolean scanned(Reading before, long table) {
            return scans.getOrDefault(table, 0L) > before.scans.getOrDefault(table, 0L);
        }
    }

    private static final String QUERY = "SELECT 'lock', l.relation::int8, l.mode, NULL FROM pg_catalog.pg_locks l "
            + "WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted "
            + "AND l.relation = ANY (?::oid[]) "
            + "UNION ALL SELECT 'file', c.oid::int8, c.relfilenode::text, n.nspname || '.' || c.relname "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.oid = ANY (?::oid[]) "
            + "UNION ALL SELECT 'scan', s.relid::int8, s.seq_scan::text, NULL FROM pg_catalog.pg_stat_xact_user_tables s "
            + "WHERE s.relid = ANY (?::oid[]) "
            + "UNION ALL SELECT 'column', a.attrelid::int8, a.attname, "
            + "pg_catalog.format_type(a.atttypid, a.atttypmod) || '|' || a.attnotnull || '|' || a.atthasdef "
            + "FROM pg_catalog.pg_attribute a WHERE a.attrelid = ANY (?::oid[]) AND a.attnum > 0 AND NOT a.attisdropped "
            + "UNION ALL SELECT 'timeout', 0, pg_catalog.current_setting('lock_timeout'), NULL";

    private final List<Table> tables;
    private final Long[] oids;

    private Probe(List<Table> tables) {
        this.tables = List.copyOf(tables);
        this.oids = tables.stream().map(Table::oid).toArray(Long[]::new);
    }

    /** The tables of {@code schemas} as they are now, before the revision runs. */
    static Probe before(Connection connection, List<String> schemas) throws SQLException {
        List<Table> tables = new java.util.ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT c.oid::int8, n.nspname || '.' || c.relname "
                + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname = ANY (?::text[]) ORDER BY 2")) {
            query.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    tables.add(new Table(result.getLong(1), result.getString(2)));
                }
            }
        }
        return new Probe(tables);
    }

    /** The tables that existed before the revision, by oid. */
    Map<Long, String> tables() {
        Map<Long, String> byOid = new LinkedHashMap<>();
        tables.forEach(table -> byOid.put(table.oid(), table.name()));
        return byOid;
    }

    /** Reads what the session holds and has done, now. */
    Reading read(Connection connection) throws SQLException {
        Map<Long, TreeSet<String>> locks = new HashMap<>();
        Map<Long, Long> files = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> scans = new HashMap<>();
        Map<Long, Map<String, String>> columns = new HashMap<>();
        String timeout = "0";
        try (PreparedStatement query = connection.prepareStatement(QUERY)) {
            Array array = connection.createArrayOf("int8", oids);
            for (int i = 1; i <= 4; i++) {
                query.setArray(i, array);
            }
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    long oid = result.getLong(2);
                    String value = result.getString(3);
                    switch (result.getString(1)) {
                        case "lock" ->
                            locks.computeIfAbsent(oid, k -> new TreeSet<>()).add(value);
                        case "file" -> {
                            files.put(oid, Long.parseLong(value));
                            names.put(oid, result.getString(4));
                        }
                        case "scan" -> scans.put(oid, Long.parseLong(value));
                        case "column" ->
                            columns.computeIfAbsent(oid, k -> new LinkedHashMap<>())
                                    .put(value, result.getString(4));
                        default -> timeout = value;
                    }
                }
            }
        }
        return new Reading(locks, files, names, scans, columns, timeout);
    }
}
