package org.bemserver.schema.lint;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.bemserver.schema.Identifiers;

/**
 * What a session holds and has done to the tables that existed before a revision, read from the
 * server in one query between two statements of the revision's transaction: the relation locks of
 * its own backend ({@code pg_locks}), each table's file ({@code pg_class.relfilenode}: a new one is
 * a rewrite), its sequential scans in this transaction ({@code seq_scan} of
 * {@code pg_stat_xact_user_tables}), its columns, and the {@code lock_timeout} in force. Nothing is
 * inferred from the SQL text.
 */
final class Probe {

    /** A table that existed before the revision. */
    record Table(long oid, String name) {}

    /**
     * One reading: what the session holds and has done, by table oid.
     *
     * <p>{@link #locks}: the lock modes held on each table (PostgreSQL's names:
     * {@code AccessExclusiveLock}); {@link #files}: each table's relfilenode, a table dropped
     * absent; {@link #names}: each table's qualified name now (a rename changes it); {@link #scans}:
     * each table's sequential scans in this transaction, a table not scanned absent;
     * {@link #columns}: each table's columns, name to {@code type|notnull|hasdefault|typeoid:typmod};
     * {@link #lockTimeout}: the session's {@code lock_timeout} ({@code 0}: none);
     * {@link #typeNames}: the column types this reading saw, {@code typeoid:typmod} to their name now.
     *
     * <p>Two readings are equal when all of these are. A first reading derives its type names from
     * its columns when they are first asked for (a rule naming a changed type), not when it is made:
     * a long history carries some 4,000 columns from one revision to the next. It also carries the
     * column values of the readings before it ({@link #kinds}), so that the next first reading finds
     * the types to name without walking every column.
     */
    static final class Reading {

        private final Map<Long, TreeSet<String>> locks;
        private final Map<Long, Long> files;
        private final Map<Long, String> names;
        private final Map<Long, Long> scans;
        private final Map<Long, Map<String, String>> columns;
        private final String lockTimeout;
        /** The type names, or {@code null} until derived from the columns. */
        private Map<String, String> typeNames;
        /** Every column value of this reading's tables, and maybe some of tables gone since. */
        private final Kinds kinds;

        /** A reading; {@code typeNames} {@code null}: those of its columns, derived when first asked for. */
        Reading(
                Map<Long, TreeSet<String>> locks,
                Map<Long, Long> files,
                Map<Long, String> names,
                Map<Long, Long> scans,
                Map<Long, Map<String, String>> columns,
                String lockTimeout,
                Map<String, String> typeNames,
                Kinds kinds) {
            this.locks = locks;
            this.files = files;
            this.names = names;
            this.scans = scans;
            this.columns = columns;
            this.lockTimeout = lockTimeout;
            this.typeNames = typeNames;
            this.kinds = kinds;
        }

        Map<Long, TreeSet<String>> locks() {
            return locks;
        }

        Map<Long, Long> files() {
            return files;
        }

        Map<Long, String> names() {
            return names;
        }

        Map<Long, Long> scans() {
            return scans;
        }

        Map<Long, Map<String, String>> columns() {
            return columns;
        }

        String lockTimeout() {
            return lockTimeout;
        }

        /** The column types this reading saw, {@code typeoid:typmod} to their name now. */
        Map<String, String> typeNames() {
            if (typeNames == null) {
                Map<String, String> derived = new HashMap<>();
                Set<String> seen = new HashSet<>();
                for (Map<String, String> table : columns.values()) {
                    for (String column : table.values()) {
                        if (seen.add(column)) {
                            derived.put(typeIdentity(column), typeNameRead(column));
                        }
                    }
                }
                typeNames = derived;
            }
            return typeNames;
        }

        /**
         * Every column value of this reading's tables ({@link #columns}' values), with maybe some of
         * tables dropped or changed since: a few hundred kinds on a long history, each once.
         */
        Set<String> kinds() {
            return kinds.values();
        }

        /** {@link #kinds()}, with the types they name written for a query. */
        Kinds carriedKinds() {
            return kinds;
        }

        /**
         * What a column's type is ({@code typeoid:typmod}): renaming the type or changing the
         * search path changes its name, not what it is.
         */
        static String typeIdentity(String column) {
            return column.substring(column.lastIndexOf('|') + 1);
        }

        /** The name of the type of {@code column} as it was read (format_type's, which may hold a {@code |}). */
        static String typeNameRead(String column) {
            int identity = column.lastIndexOf('|');
            return column.substring(0, column.lastIndexOf('|', column.lastIndexOf('|', identity - 1) - 1));
        }

        /** The name of the type of {@code column} (a value of {@link #columns}) now, or as it was read. */
        String typeName(String column) {
            String name = typeNames().get(typeIdentity(column));
            return name != null ? name : typeNameRead(column);
        }

        /** This reading with the {@code lock_timeout} in force now. */
        Reading withLockTimeout(String now) {
            return now.equals(lockTimeout)
                    ? this
                    : new Reading(locks, files, names, scans, columns, now, typeNames, kinds);
        }

        /**
         * This reading with the scan counts now: after a rollback to a savepoint, which gives back
         * the locks of what it undid but not the scans counted in the transaction.
         */
        Reading withScans(Map<Long, Long> now) {
            return new Reading(locks, files, names, Map.copyOf(now), columns, lockTimeout, typeNames, kinds);
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

        @Override
        public boolean equals(Object other) {
            return other instanceof Reading that
                    && locks.equals(that.locks)
                    && files.equals(that.files)
                    && names.equals(that.names)
                    && scans.equals(that.scans)
                    && columns.equals(that.columns)
                    && lockTimeout.equals(that.lockTimeout)
                    && typeNames().equals(that.typeNames());
        }

        @Override
        public int hashCode() {
            return Objects.hash(locks, files, names, scans, columns, lockTimeout);
        }

        @Override
        public String toString() {
            return "Reading[locks=" + locks + ", files=" + files + ", names=" + names + ", scans=" + scans
                    + ", columns=" + columns + ", lockTimeout=" + lockTimeout + ", typeNames=" + typeNames() + "]";
        }
    }

    /**
     * The column values a reading carries ({@link Reading#kinds()}), shared by the readings that
     * carry the same, with the types they name as two array literals for a query (each type once:
     * its {@code typeoid:typmod} and its name as read), made once however many readings share them.
     */
    static final class Kinds {

        static final Kinds NONE = new Kinds(Set.of());

        private final Set<String> values;

        /** {@link #types()}, or {@code null} until asked for. */
        private String[] types;

        Kinds(Set<String> values) {
            this.values = values;
        }

        Set<String> values() {
            return values;
        }

        /**
         * The types named, as {@code text[]} literals: their {@code typeoid:typmod}, and their names
         * as read in the same order.
         */
        String[] types() {
            if (types == null) {
                // each type under each name it was read with: a type renamed during a revision is
                // carried under both, and each column value is named again from its own
                Set<String> seen = new HashSet<>();
                List<String> ids = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (String column : values) {
                    String id = Reading.typeIdentity(column);
                    String name = Reading.typeNameRead(column);
                    if (seen.add(id + '|' + name)) {
                        ids.add(id);
                        names.add(name);
                    }
                }
                types = new String[] {arrayLiteral(ids), arrayLiteral(names)};
            }
            return types;
        }
    }

    /**
     * {@code values} as an array literal for a query, {@code E'{"a","b"}'}: an escape string, which
     * reads the same whatever {@code standard_conforming_strings} a revision set.
     */
    static String arrayLiteral(Collection<?> values) {
        StringBuilder array = new StringBuilder("{");
        for (Object value : values) {
            array.append(array.length() > 1 ? ",\"" : "\"")
                    .append(value.toString().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return Identifiers.escapedLiteral(array.append('}').toString());
    }

    /** A column of {@code a}, a row of pg_attribute: {@code type|notnull|hasdefault|typeoid:typmod}. */
    static final String COLUMN =
            "pg_catalog.format_type(a.atttypid, a.atttypmod) || '|' || a.attnotnull || '|' || a.atthasdef "
                    + "|| '|' || a.atttypid || ':' || a.atttypmod";

    /** The columns of {@code TABLES_READ}, each table's in their order. */
    private static final String COLUMNS = "SELECT * FROM (SELECT 'column', a.attrelid::int8, a.attname, " + COLUMN
            + " FROM pg_catalog.pg_attribute a WHERE a.attrelid TABLES_READ AND a.attnum > 0 AND NOT a.attisdropped "
            + "ORDER BY a.attrelid, a.attnum) AS columns";

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
            + "UNION ALL SELECT 'scan', c.oid::int8, s.scans::text, NULL FROM pg_catalog.pg_class c, "
            + "pg_catalog.pg_stat_get_xact_numscans(c.oid) AS s(scans) WHERE c.oid TABLES AND s.scans > 0 "
            + "UNION ALL " + COLUMNS.replace("TABLES_READ", "TABLES")
            + " UNION ALL SELECT 'timeout', 0, pg_catalog.current_setting('lock_timeout'), NULL";

    private static final String READ_ALL = QUERY.replace("TABLES", "= ANY (?::oid[])");

    /**
     * The same outside a transaction, on PostgreSQL 15 and later: each table's scans are the
     * session's counts not yet flushed plus those flushed to the server's (cumulative) statistics.
     * A session flushes its counts when it waits outside a transaction, which it does after every
     * statement there; the sum does not move when it does, and no flush falls within one query.
     */
    private static final String READ_ALL_TOTALS = READ_ALL.replace(
            "pg_catalog.pg_stat_get_xact_numscans(c.oid) AS s(scans)",
            "LATERAL (SELECT pg_catalog.pg_stat_get_numscans(c.oid) + pg_catalog.pg_stat_get_xact_numscans(c.oid)) "
                    + "AS s(scans)");

    private static final String READ_LOCKED = QUERY.replace("TABLES", "IN (SELECT relation FROM l)");

    /** The name of {@link #PREPARE}'s statement. */
    private static final String READ_AFTER = "bemserver_lint_read";

    /**
     * The reading of the relations locked whose oids lie between two given ({@code $1}, {@code $2}),
     * prepared on the server once per session: sent after a statement in its own round trip
     * ({@link #readAfter()}), it is planned once, as the prepared {@code READ_LOCKED} is. Its rows
     * may hold other relations in the range (an index): {@link #reading} keeps the tables'.
     */
    static final String PREPARE = "PREPARE " + READ_AFTER + " (oid, oid) AS "
            + READ_LOCKED
                    .replace("l.relation = ANY (?::oid[])", "l.relation BETWEEN $1 AND $2")
                    .replace("SELECT 'lock', ", "SELECT 'lock' AS bemserver_reading, ");

    /**
     * Prepares {@link #readAfter()}'s statement on the session, unless it is there: once per
     * session, and again after a statement that {@link #forgetsPrepared}.
     */
    static void prepare(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet prepared = statement.executeQuery(
                        "SELECT 1 FROM pg_catalog.pg_prepared_statements WHERE name = '" + READ_AFTER + "'")) {
            if (!prepared.next()) {
                statement.execute(PREPARE);
            }
        }
    }

    /**
     * Whether a statement may end the session's prepared statements: {@code DEALLOCATE ALL},
     * {@code DISCARD ALL}, also from a {@code DO} block or a function it creates.
     */
    static boolean forgetsPrepared(String words) {
        return words.contains("DEALLOCATE") || words.contains("DISCARD");
    }

    /** Whether {@code failure} is the reading's prepared statement gone (a function deallocated it). */
    static boolean lostReading(SQLException failure) {
        return "26000".equals(failure.getSQLState())
                && String.valueOf(failure.getMessage()).contains(READ_AFTER);
    }

    /** The names now of types given as {@code typeoid:typmod}. */
    private static final String TYPE_NAMES = "SELECT t.id, pg_catalog.format_type(split_part(t.id, ':', 1)::oid, "
            + "split_part(t.id, ':', 2)::int4) FROM unnest(?::text[]) AS t(id)";

    /** The tables, by name as PostgreSQL sorts them. */
    private final List<Table> tables;

    /** The same by oid, in that order. */
    private final Map<Long, String> byOid;

    /** The schemas' oids and names when the tables were read: a schema renamed renames its tables. */
    private final Map<Long, String> schemas;

    /** The server's encoding ({@code server_encoding}), which orders the names. */
    private final String encoding;

    /** {@link #lockCheck()}. */
    private final String lockCheck;

    /** {@link #readAfter()}. */
    private final String readAfter;

    /**
     * @param tables the tables, by name as PostgreSQL sorts them
     * @param schemas the oids and names of the schemas of the tables that exist
     * @param encoding the server's encoding
     */
    Probe(List<Table> tables, Map<Long, String> schemas, String encoding) {
        this.tables = List.copyOf(tables);
        this.schemas = Map.copyOf(schemas);
        this.encoding = encoding;
        this.byOid = Collections.unmodifiableMap(byOid(tables));
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        for (Long oid : byOid.keySet()) {
            low = Math.min(low, oid);
            high = Math.max(high, oid);
        }
        // the oids of the tables as a range: the list of a long history's 500 tables, parsed and
        // folded into an array at each check, cost more than the check itself. Every table is in
        // the range, so no lock on one is missed; a lock on another relation in it (an index of
        // one, a relation created after the oids wrapped around) counts too, and the reading
        // that follows finds nothing: the range can only cost a reading, not hide a lock
        String range = tables.isEmpty() ? "false" : "l.relation BETWEEN '" + low + "' AND '" + high + "'";
        this.readAfter = "EXECUTE " + READ_AFTER + " ('" + (tables.isEmpty() ? "1', '0" : low + "', '" + high) + "')";
        this.lockCheck = "SELECT pg_catalog.clock_timestamp() AS bemserver_clock, "
                + "(SELECT pg_catalog.count(*) FROM pg_catalog.pg_locks l "
                + "WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted "
                + "AND " + range + ") AS bemserver_locked, pg_catalog.current_setting('lock_timeout')";
    }

    /**
     * The names of {@code tables} by oid, in their order: in a method of its own, so that the JIT
     * compiles this loop over some 500 tables per revision without the constructor's text.
     */
    private static Map<Long, String> byOid(List<Table> tables) {
        Map<Long, String> byOid = new LinkedHashMap<>();
        for (Table table : tables) {
            byOid.put(table.oid(), table.name());
        }
        return byOid;
    }

    /** The oids of the tables, as an array literal. */
    private String oidLiteral() {
        return arrayLiteral(byOid.keySet());
    }

    /** A query of each table's sequential scans in this transaction (oid, count), the tables not scanned left out. */
    String scanCount() {
        return "SELECT t.oid::int8, pg_catalog.pg_stat_get_xact_numscans(t.oid) FROM unnest(" + oidLiteral()
                + "::oid[]) AS t(oid) WHERE pg_catalog.pg_stat_get_xact_numscans(t.oid) > 0";
    }

    /**
     * A query, to send after statements in the same round trip, of one row: the time
     * ({@code clock_timestamp()}, column {@code bemserver_clock}: the end of the statement before
     * it), how many locks the session holds on the tables (or on other relations whose oids lie
     * between theirs), and the {@code lock_timeout} in force. None held, the statements before it in the transaction can have rewritten, scanned,
     * renamed or altered none of the tables (each of these takes a lock held to the end): the
     * reading after them is the one before, with that {@code lock_timeout}.
     */
    String lockCheck() {
        return lockCheck;
    }

    /**
     * The statement that reads, in the round trip of the statement it follows, what
     * {@link #read(Connection, Reading)} reads: its rows go to {@link #reading}. It needs
     * {@link #PREPARE} run once on the session first.
     */
    String readAfter() {
        return readAfter;
    }

    /** A revision's tables, and its first reading, before its first statement. */
    record Start(Probe probe, Reading reading) {}

    /**
     * What the revision linted before leaves the next one on the same session.
     *
     * @param probe its probe, or {@code null}
     * @param last the reading after its last statement
     * @param locked the relations its transaction held a lock on when it committed
     *     ({@link #commit}), or {@code null}: it ran outside a transaction, or a statement of it
     *     ended the transaction before (what it locked until then is not among them)
     */
    record Carried(Probe probe, Reading last, Set<Long> locked) {}

    /**
     * The tables of {@code schemas} as they are now, before a revision runs, and their first
     * reading. {@code last} is the reading after the last statement of the revision linted before
     * this one on the same session, or {@code null}: a commit changes no table, so the columns
     * of the tables it has with the same file and name now are taken from it, and only those of
     * the tables the revision created (or whose file or name moved since) are read, with the
     * names of the types now. Locks and scans are read for every table: the commit released
     * the locks, and the server may have flushed its scan counters since. The reading equals
     * {@link #read(Connection)} on the same tables: a revision on a long history reads its few
     * new tables, not them all.
     */
    static Start start(Connection connection, List<String> schemas, Reading last) throws SQLException {
        return FirstReading.read(connection, schemas, last == null ? null : new Carried(null, last, null));
    }

    /**
     * The same from what the revision before left ({@code null}: nothing). After a revision that
     * ran in a transaction the catalog is not scanned for the tables: those it held no lock on
     * are as its last reading has them, and those it held one on are read again, the tables it
     * created among them. The reading still equals {@link #read(Connection)} on the same tables,
     * and the tables are the same, in the same order.
     */
    static Start next(Connection connection, List<String> schemas, Carried carried) throws SQLException {
        return FirstReading.read(connection, schemas, carried);
    }

    /**
     * Commits the session's transaction, and returns the relations it held a lock on, for
     * {@link Carried#locked()}.
     */
    static Set<Long> commit(Connection connection) throws SQLException {
        return FirstReading.commit(connection, List.of(), null).locked();
    }

    /**
     * The same, and, when the next revision runs in a transaction too, its transaction begun and
     * its first reading taken in the same round trip, from what this one leaves ({@code next}, its
     * {@code locked} not known yet): {@link FirstReading#commit}.
     */
    static FirstReading.Committed commit(Connection connection, List<String> schemas, Carried next)
            throws SQLException {
        return FirstReading.commit(connection, schemas, next);
    }

    Map<Long, String> schemas() {
        return schemas;
    }

    String encoding() {
        return encoding;
    }

    /** The tables that existed before the revision, by oid, in their order. */
    Map<Long, String> tables() {
        return byOid;
    }

    /** The tables that existed before the revision, by name as PostgreSQL sorts them. */
    List<Table> tableList() {
        return tables;
    }

    /** Reads what the session holds and has done, now, for every table. */
    Reading read(Connection connection) throws SQLException {
        return read(connection, null);
    }

    /**
     * The same outside a transaction, on PostgreSQL 15 and later, with each table's scans counted
     * since the server's statistics began ({@link #READ_ALL_TOTALS}): two such readings around a
     * statement outside a transaction say whether it scanned a table, whatever was flushed between
     * them. Not a reading to compare with those of {@link #read(Connection, Reading)}.
     */
    Reading readOutside(Connection connection) throws SQLException {
        return read(connection, READ_ALL_TOTALS, 4, null);
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
        return base == null ? read(connection, READ_ALL, 4, null) : read(connection, READ_LOCKED, 1, base);
    }

    /** The reading {@code sql} gives, its {@code parameters} each the array of this probe's tables. */
    private Reading read(Connection connection, String sql, int parameters, Reading base) throws SQLException {
        Rows rows = new Rows();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            Array array = connection.createArrayOf("int8", byOid.keySet().toArray());
            for (int i = 1; i <= parameters; i++) {
                query.setArray(i, array);
            }
            try (ResultSet result = query.executeQuery()) {
                rows.addAll(result);
            }
        }
        return reading(rows, connection, base);
    }

    /** The rows of a reading's query, as they come. */
    static final class Rows {
        private final List<String[]> rows = new ArrayList<>();

        /** Keeps every row of {@code result}, a reading's. */
        void addAll(ResultSet result) throws SQLException {
            while (result.next()) {
                rows.add(
                        new String[] {result.getString(1), result.getString(2), result.getString(3), result.getString(4)
                        });
            }
        }
    }

    /**
     * The reading {@code rows} give ({@link #read(Connection, Reading)}'s query, or
     * {@link #readAfter()}'s), of this probe's tables, after {@code base} ({@code null}: every
     * table was read).
     */
    Reading reading(Rows rows, Connection connection, Reading base) throws SQLException {
        Map<Long, TreeSet<String>> locks = new HashMap<>();
        Map<Long, Long> files = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> scans = new HashMap<>();
        Map<Long, Map<String, String>> columns = new HashMap<>();
        Map<String, String> typeNames = new HashMap<>();
        // the column values read, each once: with those of base, the kinds this reading carries
        Set<String> kinds = new HashSet<>();
        String timeout = "0";
        for (String[] row : rows.rows) {
            if (row[0].equals("timeout")) {
                timeout = row[2];
                continue;
            }
            long oid = Long.parseLong(row[1]);
            if (!byOid.containsKey(oid)) {
                continue; // another relation in the range of readAfter(): an index
            }
            String value = row[2];
            switch (row[0]) {
                case "lock" -> locks.computeIfAbsent(oid, k -> new TreeSet<>()).add(value);
                case "file" -> {
                    files.put(oid, Long.parseLong(value));
                    names.put(oid, row[3]);
                }
                case "scan" -> scans.put(oid, Long.parseLong(value));
                default -> {
                    String column = row[3];
                    kinds.add(column);
                    columns.computeIfAbsent(oid, k -> new LinkedHashMap<>()).put(value, column);
                    typeNames.put(Reading.typeIdentity(column), Reading.typeNameRead(column));
                }
            }
        }
        if (base == null) {
            return new Reading(locks, files, names, scans, columns, timeout, typeNames, new Kinds(kinds));
        }
        if (locks.isEmpty() && base.locks().isEmpty()) {
            // no lock on a table before nor now: none was rewritten, scanned, renamed or altered
            return base.withLockTimeout(timeout);
        }
        // the tables the session holds no lock on are as base has them: base's maps, copied at once,
        // then those of the tables locked replaced by what was read (absent: dropped)
        Map<Long, Long> allFiles = new HashMap<>(base.files());
        Map<Long, String> allNames = new HashMap<>(base.names());
        Map<Long, Long> allScans = new HashMap<>(base.scans());
        Map<Long, Map<String, String>> allColumns = new HashMap<>(base.columns());
        List<String> unseen = new ArrayList<>();
        for (Long oid : locks.keySet()) {
            replace(allFiles, files, oid);
            replace(allNames, names, oid);
            replace(allScans, scans, oid);
            replace(allColumns, columns, oid);
            base.columns().getOrDefault(oid, Map.of()).values().stream()
                    .map(Reading::typeIdentity)
                    .filter(id -> !typeNames.containsKey(id) && !unseen.contains(id))
                    .forEach(unseen::add);
        }
        if (!unseen.isEmpty()) {
            typeNames.putAll(typeNames(connection, unseen));
        }
        if (base.kinds().containsAll(kinds)) {
            return new Reading(
                    locks, allFiles, allNames, allScans, allColumns, timeout, typeNames, base.carriedKinds());
        }
        kinds.addAll(base.kinds());
        return new Reading(locks, allFiles, allNames, allScans, allColumns, timeout, typeNames, new Kinds(kinds));
    }

    /** {@code all}'s value for {@code oid} replaced by {@code read}'s, or removed when it has none. */
    private static <V> void replace(Map<Long, V> all, Map<Long, V> read, Long oid) {
        V value = read.get(oid);
        if (value == null) {
            all.remove(oid);
        } else {
            all.put(oid, value);
        }
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
}
