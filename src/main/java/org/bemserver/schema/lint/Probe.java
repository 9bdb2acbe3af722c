package org.bemserver.schema.lint;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
     * @param columns each table's columns: name to {@code type|notnull|hasdefault|typeoid:typmod}
     * @param lockTimeout the session's {@code lock_timeout} ({@code 0}: none)
     * @param typeNames the column types this reading saw, {@code typeoid:typmod} to their name now
     */
    record Reading(
            Map<Long, TreeSet<String>> locks,
            Map<Long, Long> files,
            Map<Long, String> names,
            Map<Long, Long> scans,
            Map<Long, Map<String, String>> columns,
            String lockTimeout,
            Map<String, String> typeNames) {

        /**
         * What a column's type is ({@code typeoid:typmod}): renaming the type or changing the
         * search path changes its name, not what it is.
         */
        static String typeIdentity(String column) {
            return column.split("\\|")[3];
        }

        /** The name of the type of {@code column} (a value of {@link #columns}) now, or as it was read. */
        String typeName(String column) {
            String[] parts = column.split("\\|");
            return typeNames.getOrDefault(parts[3], parts[0]);
        }

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

    /**
     * The reading's query. {@code TABLES} stands for the tables read: all of them, or (after the
     * first reading of a transaction) those its backend holds a lock on, the only ones the
     * transaction can have rewritten, scanned, renamed or altered.
     */
    private static final String QUERY = "WITH l AS (SELECT l.relation, l.mode FROM pg_catalog.pg_locks l "
            + "WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted "
            + "AND l.relation = ANY (?::oid[])) "
            + "SELECT 'lock', l.relation::int8, l.mode, NULL FROM l "
            + "UNION ALL SELECT 'file', c.oid::int8, c.relfilenode::text, n.nspname || '.' || c.relname "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.oid TABLES "
            + "UNION ALL SELECT 'scan', c.oid::int8, pg_catalog.pg_stat_get_xact_numscans(c.oid)::text, NULL "
            + "FROM pg_catalog.pg_class c WHERE c.oid TABLES "
            + "UNION ALL SELECT 'column', a.attrelid::int8, a.attname, "
            + "pg_catalog.format_type(a.atttypid, a.atttypmod) || '|' || a.attnotnull || '|' || a.atthasdef "
            + "|| '|' || a.atttypid || ':' || a.atttypmod "
            + "FROM pg_catalog.pg_attribute a WHERE a.attrelid TABLES AND a.attnum > 0 AND NOT a.attisdropped "
            + "UNION ALL SELECT 'timeout', 0, pg_catalog.current_setting('lock_timeout'), NULL";

    private static final String READ_ALL = QUERY.replace("TABLES", "= ANY (?::oid[])");
    private static final String READ_LOCKED = QUERY.replace("TABLES", "IN (SELECT relation FROM l)");

    /** The names now of types given as {@code typeoid:typmod}. */
    private static final String TYPE_NAMES = "SELECT t.id, pg_catalog.format_type(split_part(t.id, ':', 1)::oid, "
            + "split_part(t.id, ':', 2)::int4) FROM unnest(?::text[]) AS t(id)";

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

    /** Reads what the session holds and has done, now, for every table. */
    Reading read(Connection connection) throws SQLException {
        return read(connection, null);
    }

    /**
     * The same after {@code base}, a reading of the same transaction, reading only the tables the
     * session holds a lock on and taking the others as {@code base} has them: in one transaction a
     * table is rewritten, scanned, renamed or altered only under a lock held to its end. A linted
     * revision of a long history then reads a handful of tables after each statement, not all of
     * them. The types of the columns {@code base} has and this reading no longer sees are named
     * as they are now, so that a change reads {@code from old_enum to new_enum}.
     */
    Reading read(Connection connection, Reading base) throws SQLException {
        Map<Long, TreeSet<String>> locks = new HashMap<>();
        Map<Long, Long> files = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> scans = new HashMap<>();
        Map<Long, Map<String, String>> columns = new HashMap<>();
        Map<String, String> typeNames = new HashMap<>();
        String timeout = "0";
        try (PreparedStatement query = connection.prepareStatement(base == null ? READ_ALL : READ_LOCKED)) {
            Array array = connection.createArrayOf("int8", oids);
            for (int i = 1; i <= (base == null ? 4 : 1); i++) {
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
                        case "column" -> {
                            String column = result.getString(4);
                            columns.computeIfAbsent(oid, k -> new LinkedHashMap<>())
                                    .put(value, column);
                            typeNames.put(Reading.typeIdentity(column), column.split("\\|")[0]);
                        }
                        default -> timeout = value;
                    }
                }
            }
        }
        if (base != null) {
            List<String> unseen = new ArrayList<>();
            for (Long oid : oids) {
                if (!locks.containsKey(oid)) {
                    copy(base.files(), files, oid);
                    copy(base.names(), names, oid);
                    copy(base.scans(), scans, oid);
                    copy(base.columns(), columns, oid);
                } else {
                    base.columns().getOrDefault(oid, Map.of()).values().stream()
                            .map(Reading::typeIdentity)
                            .filter(id -> !typeNames.containsKey(id) && !unseen.contains(id))
                            .forEach(unseen::add);
                }
            }
            if (!unseen.isEmpty()) {
                typeNames.putAll(typeNames(connection, unseen));
            }
        }
        return new Reading(locks, files, names, scans, columns, timeout, typeNames);
    }

    private static Map<String, String> typeNames(Connection connection, List<String> ids) throws SQLException {
        Map<String, String> named = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(TYPE_NAMES)) {
            query.setArray(1, connection.createArrayOf("text", ids.toArray()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    if (result.getString(2) != null) {
                        named.put(result.getString(1), result.getString(2));
                    }
                }
            }
        }
        return named;
    }

    private static <V> void copy(Map<Long, V> from, Map<Long, V> to, Long oid) {
        V value = from.get(oid);
        if (value != null) {
            to.put(oid, value);
        }
    }
}
