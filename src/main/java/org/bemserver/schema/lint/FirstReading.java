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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first reading of a revision, before its first statement ({@link Probe#start},
 * {@link Probe#next}): the tables of the schemas as they are now, the locks and scans of the new
 * transaction, their columns and the {@code lock_timeout}, in one query. What the revision linted
 * before on the session left ({@link Probe.Carried}) spares most of it: the columns of the tables
 * it read, and, when it ran in a transaction, the catalog scan for the tables themselves.
 */
final class FirstReading {

    /**
     * The rows every first reading has: the schemas, the locks (of every relation, kept for the
     * tables in Java: the session holds few, and a join with the tables cost more), the scans
     * {@code SCANS}, the columns of the tables {@code NEW}, the types carried ({@code TYPE_IDS},
     * {@code typeoid:typmod}, and their names as read, {@code TYPE_NAMES}) whose name is another
     * now (a type renamed, or the search path changed), and the {@code lock_timeout}.
     */
    private static final String REST = "SELECT 'schema', n.oid::int8, n.nspname::text, NULL "
            + "FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY (SCHEMAS) "
            + "UNION ALL SELECT 'lock', l.relation::int8, l.mode, NULL FROM pg_catalog.pg_locks l "
            + "WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted "
            + "UNION ALL SCANS"
            // one index scan of pg_attribute per table read: a revision has few new tables
            + "UNION ALL SELECT * FROM (SELECT 'column', a.attrelid::int8, a.attname::text, " + Probe.COLUMN
            + " FROM (NEW) AS r, LATERAL (SELECT * "
            + "FROM pg_catalog.pg_attribute a WHERE a.attrelid = r.oid::oid AND a.attnum > 0 AND NOT a.attisdropped "
            + "OFFSET 0) AS a ORDER BY a.attrelid, a.attnum) AS columns"
            + " UNION ALL SELECT 'type', 0, y.id, y.now FROM (SELECT y.id, y.name, "
            + "pg_catalog.format_type(split_part(y.id, ':', 1)::oid, split_part(y.id, ':', 2)::int4) AS now "
            + "FROM unnest(TYPE_IDS::text[], TYPE_NAMES::text[]) AS y(id, name)) AS y WHERE y.now IS DISTINCT FROM y.name "
            + "UNION ALL SELECT 'timeout', 0, pg_catalog.current_setting('lock_timeout'), NULL";

    /**
     * The scans in this transaction of the tables {@code T} (of column {@code oid}), those not
     * scanned left out: the counter called in the select list, not as a function scan (which
     * builds a tuplestore per table: a third of the query on 500 tables).
     */
    private static final String SCANS = "SELECT 'scan', s.oid, s.scans::text, NULL FROM (SELECT t.oid, "
            + "pg_catalog.pg_stat_get_xact_numscans(t.oid::oid) AS scans FROM T AS t OFFSET 0) AS s WHERE s.scans > 0 ";

    /**
     * The tables of the schemas, sorted by name, and the rows every first reading has: the scans
     * of every table, the columns of those not among the oids {@code CARRIED} (the last reading's).
     */
    private static final String START = "WITH t AS (SELECT c.oid::int8 AS oid, c.relfilenode::int8 AS file, "
            + "n.nspname || '.' || c.relname AS name "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname = ANY (SCHEMAS)) "
            + "SELECT * FROM (SELECT 'table' AS bemserver_first, t.oid, t.file::text, t.name FROM t ORDER BY t.name) "
            + "AS tables UNION ALL SELECT 'encoding', 0, pg_catalog.current_setting('server_encoding'), NULL "
            + "UNION ALL SELECT * FROM ("
            + REST.replace("SCANS", SCANS.replace("FROM T AS t", "FROM t"))
                    .replace("NEW", "SELECT oid FROM t WHERE oid <> ALL (CARRIED::int8[])")
            + ") AS rest";

    /** The name of {@link #STEP}'s statement, prepared on the session. */
    private static final String STEP_NAME = "bemserver_lint_step";

    /**
     * After a revision that ran in a transaction, prepared on the session: the relations it held a
     * lock on when it committed ({@code $1}), read again ({@code r}: those that are tables of the
     * schemas now; their columns and scans too), and the rows every first reading has. Of the
     * other tables ({@code $2}: the last reading's) only the scans can have moved: a session keeps
     * its counts over its transactions until it flushes them, which it does only while it waits
     * outside a transaction (a count then goes down), and a scan in a subtransaction rolled back
     * (an exception caught in PL/pgSQL) counts while its lock is gone. Each of their counts is
     * read, and comes back when it is not the last reading's ({@code $3}). The names of the types
     * carried: {@code $4}, {@code $5}.
     */
    private static final String STEP = "WITH r AS (SELECT c.oid::int8 AS oid, c.relfilenode::int8 AS file, "
            + "n.nspname || '.' || c.relname AS name "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.oid = ANY ($1::oid[]) AND c.relkind IN ('r', 'p', 'm') AND n.nspname = ANY (SCHEMAS)) "
            + "SELECT 'table' AS bemserver_first, r.oid, r.file::text, r.name FROM r "
            + "UNION ALL SELECT * FROM ("
            + REST.replace(
                            "SCANS",
                            SCANS.replace("FROM T AS t", "FROM r AS t")
                                    + "UNION ALL SELECT 'scan', s.oid, s.scans::text, NULL FROM (SELECT k.oid, k.was, "
                                    + "pg_catalog.pg_stat_get_xact_numscans(k.oid::oid) AS scans "
                                    + "FROM unnest($2::int8[], $3::int8[]) AS k(oid, was) WHERE k.oid <> ALL ($1) "
                                    + "OFFSET 0) AS s WHERE s.scans <> s.was ")
                    .replace("NEW", "SELECT oid FROM r")
                    .replace("TYPE_IDS::text[]", "$4")
                    .replace("TYPE_NAMES::text[]", "$5")
            + ") AS rest";

    /**
     * The relations the session holds a lock on, as one list kept on the session too (a setting that
     * outlives the commit, for {@link #STEP} in the same round trip), then the commit.
     */
    private static final String COMMIT = "SET CONSTRAINTS ALL IMMEDIATE;\n"
            + "SELECT pg_catalog.set_config('bemserver.locked', "
            + "coalesce(pg_catalog.string_agg(l.relation::text, ','), ''), false) AS bemserver_locked "
            + "FROM pg_catalog.pg_locks l WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation';\n"
            + "COMMIT";

    /** {@link #STEP}'s first argument when it follows the commit in its round trip: the relations it listed. */
    private static final String LOCKED_AT_COMMIT =
            "pg_catalog.string_to_array(pg_catalog.current_setting('bemserver.locked'), ',')::int8[]";

    /** The columns of the tables given by oid, each table's in their order. */
    private static final String COLUMNS_OF = "SELECT a.attrelid::int8, a.attname, " + Probe.COLUMN
            + " FROM pg_catalog.pg_attribute a WHERE a.attrelid = ANY (?::oid[]) AND a.attnum > 0 "
            + "AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum";

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

        /** Keeps the rows of {@code result}, a first reading's. */
        void addAll(ResultSet result) throws SQLException {
            while (result.next()) {
                long oid = result.getLong(2);
                String value = result.getString(3);
                switch (result.getString(1)) {
                    case "table" -> {
                        tables.add(new Probe.Table(oid, result.getString(4)));
                        files.put(oid, Long.parseLong(value));
                        names.put(oid, result.getString(4));
                    }
                    case "lock" ->
                        locks.computeIfAbsent(oid, k -> new TreeSet<>()).add(value);
                    case "scan" -> scans.put(oid, Long.parseLong(value));
                    case "column" ->
                        columns.computeIfAbsent(oid, k -> new LinkedHashMap<>()).put(value, result.getString(4));
                    case "type" -> typesNow.put(value, result.getString(4));
                    case "schema" -> schemas.put(oid, value);
                    case "encoding" -> encoding = value;
                    default -> timeout = value;
                }
            }
        }
    }

    /** What a commit returned: the relations the transaction held a lock on, and the next first reading, or {@code null}. */
    record Committed(Set<Long> locked, Probe.Start next) {}

    /** {@code schemas} as an array literal, written in the queries (see {@link #read}). */
    private static String schemasLiteral(List<String> schemas) {
        return Probe.arrayLiteral(schemas) + "::text[]";
    }

    /** The name of {@link #STEP}'s statement for {@code schemas}, which it names in its text. */
    private static String stepName(String schemasLiteral) {
        return STEP_NAME + "_" + Integer.toHexString(schemasLiteral.hashCode());
    }

    /**
     * Prepares {@link #STEP} for {@code schemas} on the session, unless it is there: once per
     * session, and again after a revision that deallocated it ({@link Probe#forgetsPrepared}).
     */
    static void prepare(Connection connection, List<String> schemas) throws SQLException {
        String literal = schemasLiteral(schemas);
        String name = stepName(literal);
        try (Statement statement = connection.createStatement();
                ResultSet prepared = statement.executeQuery(
                        "SELECT 1 FROM pg_catalog.pg_prepared_statements WHERE name = '" + name + "'")) {
            if (!prepared.next()) {
                statement.execute("PREPARE " + name + " (int8[], int8[], int8[], text[], text[]) AS "
                        + STEP.replace("SCHEMAS", literal));
            }
        }
    }

    /**
     * The tables of {@code schemas} as they are now and their first reading, from what
     * {@code carried} (or {@code null}) left: see {@link Probe#start} and {@link Probe#next}.
     */
    static Probe.Start read(Connection connection, List<String> schemas, Probe.Carried carried) throws SQLException {
        if (carried != null && carried.locked() != null && steps(carried.probe())) {
            prepare(connection, schemas);
            Rows rows = new Rows();
            try (Statement statement = connection.createStatement();
                    ResultSet result =
                            statement.executeQuery(step(schemas, carried, Probe.arrayLiteral(carried.locked())))) {
                rows.addAll(result);
            }
            Probe.Start start = stepped(rows, carried);
            if (start != null) {
                return start;
            }
        }
        return started(connection, schemas, carried == null ? null : carried.last());
    }

    /**
     * Whether the next first reading can start from what a revision of {@code before}'s tables left
     * (when it ran in one transaction, the relations it locked known), the catalog not
     * scanned for the tables: a table the revision before neither created, dropped, rewrote,
     * renamed nor moved (each takes a lock held to its commit) is as its last reading has it,
     * unless its schema was renamed (no lock on its tables: {@link #stepped} sees it and says so).
     */
    private static boolean steps(Probe before) {
        return before != null && CODE_POINT_ORDER.contains(before.encoding());
    }

    /** The {@code EXECUTE} of {@link #STEP} after what {@code carried} left, {@code locked} the relations it locked. */
    private static String step(List<String> schemas, Probe.Carried carried, String locked) {
        StringBuilder oids = new StringBuilder("'{");
        StringBuilder counts = new StringBuilder("'{");
        literals(carried.last().files().keySet(), carried.last().scans(), oids, counts);
        String[] types = carried.last().carriedKinds().types();
        return "EXECUTE " + stepName(schemasLiteral(schemas)) + " (" + locked + ", " + oids.append("}'") + ", "
                + counts.append("}'") + ", " + types[0] + ", " + types[1] + ")";
    }

    /**
     * Appends the {@code tables}' oids to {@code oids} and their scan counts to {@code counts}, comma
     * separated: a loop over some 500 tables per revision, in a method of its own (see {@link #merged}).
     */
    private static void literals(Set<Long> tables, Map<Long, Long> scans, StringBuilder oids, StringBuilder counts) {
        boolean first = true;
        for (Long oid : tables) {
            if (!first) {
                oids.append(',');
                counts.append(',');
            }
            first = false;
            oids.append(oid.longValue());
            Long count = scans.get(oid);
            counts.append(count == null ? 0L : count.longValue());
        }
    }

    /** {@code sql} with each of its placeholders (the keys of {@code values}) replaced, in one pass. */
    private static String substitute(String sql, Map<String, String> values) {
        return Pattern.compile(String.join("|", values.keySet()))
                .matcher(sql)
                .replaceAll(match -> Matcher.quoteReplacement(values.get(match.group())));
    }

    /** The first reading from a full look at the catalog: every table of the schemas, the columns of those not in {@code last}. */
    private static Probe.Start started(Connection connection, List<String> schemas, Probe.Reading last)
            throws SQLException {
        Probe.Kinds kinds = last == null ? Probe.Kinds.NONE : last.carriedKinds();
        String[] types = kinds.types();
        // in one pass: a name in one of the literals is never taken for a placeholder
        String sql = substitute(
                START,
                Map.of(
                        "SCHEMAS",
                        schemasLiteral(schemas),
                        "CARRIED",
                        Probe.arrayLiteral(
                                last == null ? Set.of() : last.files().keySet()),
                        "TYPE_IDS",
                        types[0],
                        "TYPE_NAMES",
                        types[1]));
        Rows rows = new Rows();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            rows.addAll(result);
        }
        return reading(connection, rows, last, kinds.values());
    }

    /**
     * The first reading after a revision that ran in a transaction, from {@link #STEP}'s rows and
     * what it left: its tables in their order, less those it locked, with those read again merged
     * in; its maps, with the entries of the tables locked replaced. Nothing is done per table the
     * revision did not lock: a long history carries some 500 tables and 4,000 columns from one
     * revision to the next. {@code null} when a schema was renamed: every table is read then.
     */
    private static Probe.Start stepped(Rows rows, Probe.Carried carried) {
        Probe before = carried.probe();
        if (!rows.schemas.equals(before.schemas())) {
            return null;
        }
        Probe.Reading last = carried.last();
        Set<Long> locked = carried.locked();
        List<Probe.Table> read = rows.tables;
        read.sort(BY_NAME);
        List<Probe.Table> tables = merged(before.tableList(), locked, read);
        Map<Long, Long> files = without(last.files(), locked);
        Map<Long, String> names = without(last.names(), locked);
        Map<Long, Map<String, String>> columns = without(last.columns(), locked);
        Map<Long, Long> scans = without(last.scans(), locked);
        // the counts read: of the tables read again, and of the others whose count moved (down)
        rows.scans.forEach((oid, count) -> {
            if (count == 0) {
                scans.remove(oid);
            } else {
                scans.put(oid, count);
            }
        });
        Map<String, String> renamed = renamed(last.kinds(), rows.typesNow);
        Set<String> kinds = null;
        for (Probe.Table table : read) {
            long oid = table.oid();
            files.put(oid, rows.files.get(oid));
            names.put(oid, table.name());
            Map<String, String> now = rows.columns.get(oid);
            if (now != null) {
                columns.put(oid, now);
                if (!last.kinds().containsAll(now.values())) {
                    kinds = kinds == null ? new HashSet<>() : kinds;
                    kinds.addAll(now.values());
                }
            }
        }
        if (!renamed.isEmpty()) {
            columns.replaceAll((oid, carriedColumns) -> named(carriedColumns, renamed));
        }
        Probe.Kinds carriedKinds = last.carriedKinds();
        if (kinds != null || !renamed.isEmpty()) {
            kinds = kinds == null ? new HashSet<>() : kinds;
            for (String kind : last.kinds()) {
                kinds.add(renamed.getOrDefault(kind, kind));
            }
            carriedKinds = new Probe.Kinds(kinds);
        }
        rows.locks.keySet().retainAll(files.keySet());
        return new Probe.Start(
                new Probe(tables, rows.schemas, before.encoding()),
                new Probe.Reading(rows.locks, files, names, scans, columns, rows.timeout, null, carriedKinds));
    }

    /**
     * The tables of {@code before} but those {@code locked}, with those {@code read} again merged in
     * by name ({@code read} sorted): in a method of its own, as each of the copies below, so that
     * the JIT compiles these loops over some 500 tables per revision as small methods, not the whole
     * of {@link #stepped} with them.
     */
    private static List<Probe.Table> merged(List<Probe.Table> before, Set<Long> locked, List<Probe.Table> read) {
        List<Probe.Table> tables = new ArrayList<>(before.size() + read.size());
        int next = 0;
        for (Probe.Table table : before) {
            if (!locked.contains(table.oid())) {
                while (next < read.size() && BY_NAME.compare(read.get(next), table) < 0) {
                    tables.add(read.get(next++));
                }
                tables.add(table);
            }
        }
        tables.addAll(read.subList(next, read.size()));
        return tables;
    }

    /** A copy of {@code map} without the keys {@code locked}. */
    private static <V> Map<Long, V> without(Map<Long, V> map, Set<Long> locked) {
        Map<Long, V> copy = new HashMap<>(map);
        for (Long oid : locked) {
            copy.remove(oid);
        }
        return copy;
    }

    /**
     * The first reading from {@code rows} (every table of the schemas): the columns of the tables
     * {@code last} has with the same file and name taken from it, with the names of their types now.
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
                        rows.locks,
                        rows.files,
                        rows.names,
                        rows.scans,
                        rows.columns,
                        rows.timeout,
                        null,
                        new Probe.Kinds(kinds)));
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
     * The column values of {@code carried} whose type has another name now ({@code typesNow}:
     * {@code typeoid:typmod} to the name now, of the types whose name moved), each to its value
     * with that name: none, mostly.
     */
    private static Map<String, String> renamed(Set<String> carried, Map<String, String> typesNow) {
        Map<String, String> renamed = new HashMap<>();
        if (typesNow.isEmpty()) {
            return renamed;
        }
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
     *
     * <p>With {@code next} (what the revision leaves, its {@code locked} unknown yet), the next
     * revision's transaction begins in the same round trip, and its first reading is taken at once:
     * see {@link Tail}.
     */
    static Committed commit(Connection connection, List<String> schemas, Probe.Carried next) throws SQLException {
        Tail tail = new Tail(schemas, next == null ? null : next.probe(), null);
        String sql = next == null || !steps(next.probe()) ? tail.commitOnly() : tail.sql(next.last());
        try (Statement statement = connection.createStatement()) {
            boolean results = statement.execute(sql);
            while (results || statement.getUpdateCount() != -1) {
                if (results) {
                    try (ResultSet result = statement.getResultSet()) {
                        tail.accept(result);
                    }
                }
                results = statement.getMoreResults();
            }
        }
        return tail.committed(connection, next == null ? null : next.last());
    }

    /**
     * The commit of a revision's transaction, and the next one's transaction begun with its first
     * reading ({@link #STEP}, which the session must have prepared: {@link #prepare}), to send at
     * the end of a round trip: the commit's alone ({@link #commit}), or the last statement's with
     * its reading ({@link Runner}). No statement runs between the commit and that reading, so no
     * flush of the scan counters falls between them (PostgreSQL flushes them when the session
     * waits outside a transaction). The commit also names the revision on the session
     * ({@code bemserver.committed}), so that after a failure of the round trip the caller can tell
     * whether the commit was done ({@link #committed(Connection, String)}).
     */
    static final class Tail {

        private final List<String> schemas;
        private final Probe probe;
        private final String revision;
        private final Set<Long> locked = new HashSet<>();
        private final Rows rows = new Rows();
        private boolean stepped;

        /**
         * @param probe the probe of the revision committed, or {@code null}: no first reading follows
         * @param revision the revision committed, named on the session, or {@code null}
         */
        Tail(List<String> schemas, Probe probe, String revision) {
            this.schemas = schemas;
            this.probe = probe;
            this.revision = revision;
        }

        /** Whether a first reading can follow the commit of a revision of {@code probe}'s tables. */
        static boolean possible(Probe probe) {
            return steps(probe);
        }

        private String commitOnly() {
            String named = revision == null
                    ? ""
                    : ", pg_catalog.set_config('bemserver.committed', '" + revision.replace("'", "''") + "', false)";
            return COMMIT.replace(" AS bemserver_locked ", " AS bemserver_locked" + named + " ");
        }

        /**
         * The SQL: the commit, the next transaction begun, and its first reading from what the
         * revision leaves. {@code before}: the reading before its last statement, or after it (the
         * tables the last statement locks are read again whichever it is, and the others are the
         * same in both).
         */
        String sql(Probe.Reading before) {
            stepped = true;
            return commitOnly() + ";\nBEGIN;\n"
                    + step(schemas, new Probe.Carried(probe, before, null), LOCKED_AT_COMMIT);
        }

        /** Whether a result whose first column is {@code label} is one of the tail's: the script's own rows are not. */
        static boolean labels(String label) {
            return label.equals("bemserver_locked") || label.equals("bemserver_first");
        }

        /** Whether {@link #sql} was asked for: the round trip that ends with it committed, and began the next transaction. */
        boolean sent() {
            return stepped;
        }

        /** Keeps the rows of one of the tail's results: the relations locked, and the first reading's. */
        void accept(ResultSet result) throws SQLException {
            if (result.getMetaData().getColumnLabel(1).equals("bemserver_locked")) {
                while (result.next()) {
                    for (String oid : result.getString(1).split(",")) {
                        if (!oid.isEmpty()) {
                            locked.add(Long.parseLong(oid));
                        }
                    }
                }
            } else {
                rows.addAll(result);
            }
        }

        /**
         * What the round trip did: the relations locked, and the next first reading from what the
         * revision left ({@code last}, the reading after its last statement), when one was taken.
         */
        Committed committed(Connection connection, Probe.Reading last) throws SQLException {
            Probe.Start start = null;
            if (stepped) {
                start = stepped(rows, new Probe.Carried(probe, last, locked));
                if (start == null) {
                    // a schema renamed: every table is read, in the transaction begun
                    start = started(connection, schemas, last);
                }
            }
            return new Committed(locked, start);
        }
    }

    /** Whether the last commit on the session was {@code revision}'s ({@link Tail}). */
    static boolean committed(Connection connection, String revision) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery("SELECT pg_catalog.current_setting('bemserver.committed', true)")) {
            return result.next() && revision.equals(result.getString(1));
        }
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
