package org.bemserver.schema.catalog;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bemserver.schema.SqlResource;
import org.postgresql.PGStatement;

/**
 * A snapshot for comparison kept current by reading again only what changed since the last
 * reading: for callers that compare the schema after each of many small changes (the stairway of
 * {@code db-check}), where a whole snapshot per change costs O(changes × schema).
 *
 * <p>What changed is found in the catalog itself: the rows written since the last reading carry
 * a newer transaction id ({@code xmin}); a deletion leaves no row, so the catalogs where one can go
 * unseen (a dropped index, constraint, trigger, policy or comment leaves its table's row as it
 * was) are counted, and when a count falls short, the rows known before are looked up one by one.
 * Each changed row leads to its owner (a table owns its columns, constraints, indexes, triggers,
 * policies, privileges and comments), and an owner to the objects that name it (a view of a table,
 * a foreign key to it, a column of a type), whose text PostgreSQL's deparsers write anew when it
 * is renamed. Those owners are read again, with the same queries as a whole snapshot.
 *
 * <p>This holds while no transaction writing to the database is in progress during a reading (a
 * throwaway database written by one connection at a time), as transaction ids are compared with
 * the next one at the last reading. Sequence positions of reference tables are not kept current.
 * The connection given should not be the one that runs the changes: pgjdbc forgets the statements
 * it prepared on a connection at each {@code CREATE}, {@code ALTER} or {@code DROP} run on it, and
 * planning the queries again costs more than running them.
 */
public final class TrackedSnapshot {

    private static final String OWNER = SqlResource.read(TrackedSnapshot.class, "owner.sql");
    private static final String CHANGES =
            SqlResource.read(TrackedSnapshot.class, "changes.sql").replace("/*owner*/", OWNER);
    private static final String GONE = SqlResource.read(TrackedSnapshot.class, "gone.sql");

    /** The counted catalogs, in the order of {@code gone.sql}'s parameters. */
    private static final List<String> COUNTED = List.of(
            "class",
            "type",
            "routine",
            "schema",
            "extension",
            "constraint",
            "trigger",
            "policy",
            "comment",
            "collation");

    /** The queries that read each kind of owner (table, view, sequence, type, routine, schema, extension, collation). */
    private static final Map<String, List<String>> QUERIES_BY_KIND = Map.of(
            "r", List.of("tables", "columns", "indexes", "triggers", "policies", "privileges", "constraints"),
            "v", List.of("views", "indexes", "triggers", "privileges"),
            "s", List.of("sequences", "privileges"),
            "t", List.of("types"),
            "f", List.of("functions", "privileges"),
            "n", List.of("schemas", "privileges"),
            "e", List.of("extensions"),
            "l", List.of("collations"));

    /**
     * What one change did.
     *
     * @param before the objects it touched as they were, and every reference table's rows
     * @param after the same objects as they are now
     * @param whole whether everything was read again (a managed schema's own row changed: renamed,
     *     granted)
     */
    public record Change(Snapshot before, Snapshot after, boolean whole) {}

    private final Connection connection;
    private final List<String> schemas;
    private final Set<String> excludedTables;
    private final List<String> referenceTables;

    private final Map<String, DbObject> objects = new HashMap<>();
    private final Map<String, List<String>> columnOrder = new HashMap<>();
    private final Map<Long, Set<String>> keys = new HashMap<>();
    /** Reference rows by reference table as configured; absent while its table does not exist. */
    private final Map<String, TableRows> rows = new LinkedHashMap<>();
    /** For each counted catalog, its rows of objects users created: identity to owner (or null). */
    private final Map<String, Map<String, Owner>> known = new HashMap<>();
    /** For each counted catalog, its number of rows at the last reading. */
    private final Map<String, Long> counts = new HashMap<>();
    /** The next transaction id at the last reading: rows from transactions at or after it are new. */
    private long mark;
    /**
     * The next transaction id at the reading in progress, read by {@link #changes} in its
     * snapshot: the mark once the reading is kept.
     */
    private long next;

    /**
     * Set in the reading's first round trip: the queries run at each reading are planned once, not
     * at each run.
     */
    private static final String PLANNING = "; SET LOCAL plan_cache_mode = force_generic_plan";

    /** The object that owns a catalog row, and its kind (a key of {@link #QUERIES_BY_KIND}). */
    private record Owner(long oid, String kind) {}

    private TrackedSnapshot(
            Connection connection, List<String> schemas, Set<String> excludedTables, List<String> referenceTables) {
        this.connection = connection;
        this.schemas = List.copyOf(schemas);
        this.excludedTables = Set.copyOf(excludedTables);
        this.referenceTables = List.copyOf(referenceTables);
    }

    /**
     * Reads the whole snapshot on {@code connection}, best one that runs no DDL (see above).
     *
     * @see SnapshotReader#readForComparison(Connection, List, Set, List)
     */
    public static TrackedSnapshot read(
            Connection connection, List<String> schemas, Set<String> excludedTables, List<String> referenceTables) {
        TrackedSnapshot tracked = new TrackedSnapshot(connection, schemas, excludedTables, referenceTables);
        SnapshotReader.inReadTransaction(connection, PLANNING, () -> {
            // the snapshot's next transaction id before the listing: the rows the listing reads
            // whatever their age are all older, and the others' queries find none newer
            tracked.mark = tracked.nextTransaction();
            tracked.changes(true, null);
            tracked.readAll();
            return null;
        });
        return tracked;
    }

    /** The whole snapshot as it stands. */
    public Snapshot snapshot() {
        return new Snapshot(objects, columnOrder, byTable(rows), Map.of(), Map.of());
    }

    /**
     * Reads what changed since the last reading, keeps it, and returns it as it was and as it is:
     * the two sides compare as whole snapshots would (objects nothing touched are the same on both
     * sides and left out). {@code written}: the catalogs written since the last reading
     * ({@link CatalogWrites}), the only ones scanned, or {@code null}: any may have been.
     */
    public Change refresh(Set<String> written) {
        return SnapshotReader.inReadTransaction(connection, PLANNING, () -> {
            Set<Owner> changed = changes(false, written);
            if (changed == null) {
                Snapshot before = snapshot();
                readAll();
                mark = next;
                return new Change(before, snapshot(), true);
            }
            Set<Long> owners = new HashSet<>();
            Set<String> queries = new HashSet<>();
            for (Owner owner : changed) {
                owners.add(owner.oid());
                queries.addAll(QUERIES_BY_KIND.getOrDefault(owner.kind(), List.of()));
            }
            Map<String, TableRows> rowsBefore = byTable(rows);
            Map<String, DbObject> objectsBefore = new HashMap<>();
            Map<String, List<String>> orderBefore = new HashMap<>();
            collect(owners, objectsBefore, orderBefore);
            reread(owners, queries);
            Map<String, DbObject> objectsAfter = new HashMap<>();
            Map<String, List<String>> orderAfter = new HashMap<>();
            collect(owners, objectsAfter, orderAfter);
            Set<String> touched = new HashSet<>(objectsBefore.keySet());
            touched.addAll(objectsAfter.keySet());
            refreshRows(touched);
            mark = next;
            return new Change(
                    new Snapshot(objectsBefore, orderBefore, rowsBefore, Map.of(), Map.of()),
                    new Snapshot(objectsAfter, orderAfter, byTable(rows), Map.of(), Map.of()),
                    false);
        });
    }

    /** The next transaction id in this reading's snapshot: rows written after it carry it or a later one. */
    private long nextTransaction() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT pg_catalog.txid_snapshot_xmax(pg_catalog.txid_current_snapshot())")) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * Reads the catalog rows written since the mark, and the counted catalogs' rows gone since;
     * keeps what they say in {@link #known} and {@link #counts}.
     *
     * @param all whether this is the first reading, which lists every row of the counted catalogs
     *     (the mark is not used)
     * @param written the catalogs written since the last reading (the others are not scanned:
     *     their rows and counts are as the last reading left them), or {@code null}: any may have
     *     been written, and every catalog is scanned
     * @return the owners to read again, or {@code null} when everything must be read again (a
     *     managed schema's own row changed, the transaction ids wrapped around at the mark, or the
     *     counts no longer add up)
     */
    private Set<Owner> changes(boolean all, Set<String> written) throws SQLException {
        Set<Owner> owners = new HashSet<>();
        Map<String, Long> counted = new HashMap<>();
        Map<String, Integer> added = new HashMap<>();
        boolean schemaChanged = false;
        try (PreparedStatement query = prepare(CHANGES)) {
            query.setLong(1, mark);
            query.setArray(2, connection.createArrayOf("text", schemas.toArray()));
            query.setBoolean(3, all);
            query.setArray(4, written == null ? null : connection.createArrayOf("text", written.toArray()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    String tag = result.getString("tag");
                    String kind = result.getString("kind");
                    if ("count".equals(kind)) {
                        counted.put(tag, Long.parseLong(result.getString("id")));
                        continue;
                    }
                    if ("mark".equals(kind)) {
                        next = Long.parseLong(result.getString("id"));
                        continue;
                    }
                    long ownerOid = result.getLong("owner");
                    Owner owner = result.wasNull() ? null : new Owner(ownerOid, kind);
                    if (tag != null) {
                        Map<String, Owner> rowsOf = known.computeIfAbsent(tag, t -> new HashMap<>());
                        String id = result.getString("id");
                        if (!rowsOf.containsKey(id)) {
                            added.merge(tag, 1, Integer::sum);
                        }
                        Owner before = rowsOf.put(id, owner);
                        if (before != null && !before.equals(owner)) {
                            // moved out of the managed schemas, or to another owner: the old one loses it
                            owners.add(before);
                        }
                        // a managed schema renamed (or one renamed to a managed name) renames everything in it
                        schemaChanged |= !all && "schema".equals(tag) && (owner != null || before != null);
                    }
                    if (owner != null) {
                        owners.add(owner);
                    }
                }
            }
        }
        if (all) {
            counts.putAll(counted);
            return owners;
        }
        // a mark whose low 32 bits are a special transaction id (below 3) matches no row
        boolean lost = mark % 4294967296L < 3;
        Map<String, List<String>> toCheck = new HashMap<>();
        long missing = 0;
        for (String tag : COUNTED) {
            if (!counted.containsKey(tag)) {
                continue; // not scanned: not written
            }
            long expected = counts.getOrDefault(tag, 0L) + added.getOrDefault(tag, 0);
            long actual = counted.getOrDefault(tag, 0L);
            if (actual < expected) {
                toCheck.put(
                        tag, new ArrayList<>(known.getOrDefault(tag, Map.of()).keySet()));
                missing += expected - actual;
            } else if (actual > expected) {
                lost = true;
            }
            counts.put(tag, actual);
        }
        if (!toCheck.isEmpty()) {
            List<Map.Entry<String, String>> gone = gone(toCheck);
            // a row gone that was never known (a system object's) cannot be placed
            lost |= gone.size() != missing;
            for (Map.Entry<String, String> row : gone) {
                Owner owner = known.get(row.getKey()).remove(row.getValue());
                if (owner != null) {
                    owners.add(owner);
                }
            }
        }
        if (lost || schemaChanged) {
            return null;
        }
        return owners;
    }

    /** Which of the candidate rows no longer exist, as (catalog, identity). */
    private List<Map.Entry<String, String>> gone(Map<String, List<String>> candidates) throws SQLException {
        List<Map.Entry<String, String>> gone = new ArrayList<>();
        try (PreparedStatement query = prepare(GONE)) {
            for (int i = 0; i < COUNTED.size(); i++) {
                List<String> ids = candidates.getOrDefault(COUNTED.get(i), List.of());
                Array array = connection.createArrayOf("text", ids.toArray());
                query.setArray(i + 1, array);
            }
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    gone.add(Map.entry(result.getString("tag"), result.getString("id")));
                }
            }
        }
        return gone;
    }

    private void readAll() throws SQLException {
        objects.clear();
        columnOrder.clear();
        keys.clear();
        keep(SnapshotReader.readOwned(connection, schemas, excludedTables, null, null));
        rows.clear();
        for (String table : referenceTables) {
            TableRows read = SnapshotReader.readRows(connection, schemas, table);
            if (read != null) {
                rows.put(table, read);
            }
        }
    }

    /** Reads the objects of {@code owners} again, with the queries that read them. */
    private void reread(Set<Long> owners, Set<String> queries) throws SQLException {
        for (Long owner : owners) {
            for (String key : keys.getOrDefault(owner, Set.of())) {
                if (key.startsWith(SnapshotReader.Owned.ORDER)) {
                    columnOrder.remove(key.substring(SnapshotReader.Owned.ORDER.length()));
                } else {
                    objects.remove(key);
                }
            }
            keys.remove(owner);
        }
        if (!queries.isEmpty()) {
            keep(SnapshotReader.readOwned(connection, schemas, excludedTables, owners.toArray(Long[]::new), queries));
        }
    }

    /** A statement prepared on the server at once, as it runs at each reading. */
    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.unwrap(PGStatement.class).setPrepareThreshold(1);
        return statement;
    }

    private void keep(SnapshotReader.Owned read) {
        objects.putAll(read.objects());
        columnOrder.putAll(read.columnOrder());
        read.keys()
                .forEach((owner, ownedKeys) ->
                        keys.computeIfAbsent(owner, o -> new HashSet<>()).addAll(ownedKeys));
    }

    /** The objects and column orders of {@code owners}, as they stand. */
    private void collect(Set<Long> owners, Map<String, DbObject> objectsOut, Map<String, List<String>> orderOut) {
        for (Long owner : owners) {
            for (String key : keys.getOrDefault(owner, Set.of())) {
                if (key.startsWith(SnapshotReader.Owned.ORDER)) {
                    String table = key.substring(SnapshotReader.Owned.ORDER.length());
                    orderOut.put(table, columnOrder.get(table));
                } else {
                    objectsOut.put(key, objects.get(key));
                }
            }
        }
    }

    /**
     * Reads the reference tables' rows again where they may have changed: a table touched here
     * (its key in {@code touched}), or rows written or deleted since the mark.
     */
    private void refreshRows(Set<String> touched) throws SQLException {
        List<String> unchecked = new ArrayList<>();
        for (String table : referenceTables) {
            TableRows kept = rows.get(table);
            if (kept == null || touched.contains(kept.tableKey()) || touched.contains(tableKey(table))) {
                reread(table);
            } else {
                unchecked.add(table);
            }
        }
        if (unchecked.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder();
        for (String table : unchecked) {
            sql.append(sql.length() == 0 ? "" : " UNION ALL ")
                    .append("SELECT count(*) AS row_count, count(*) FILTER (WHERE pg_catalog.age(xmin) "
                            + "<= pg_catalog.age((CAST(? AS bigint) % 4294967296)::text::xid)) AS written FROM ")
                    .append(rows.get(table).table());
        }
        List<String> changed = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < unchecked.size(); i++) {
                query.setLong(i + 1, mark);
            }
            try (ResultSet result = query.executeQuery()) {
                for (String table : unchecked) {
                    result.next();
                    if (result.getLong("row_count") != rows.get(table).rows().size() || result.getLong("written") > 0) {
                        changed.add(table);
                    }
                }
            }
        }
        for (String table : changed) {
            reread(table);
        }
    }

    private void reread(String table) throws SQLException {
        TableRows read = SnapshotReader.readRows(connection, schemas, table);
        if (read == null) {
            rows.remove(table);
        } else {
            rows.put(table, read);
        }
    }

    /** The key of a reference table's snapshot object, from its name as configured. */
    private String tableKey(String table) {
        int dot = table.indexOf('.');
        return dot < 0
                ? "TABLE|" + schemas.get(0) + "|null|" + table
                : "TABLE|" + table.substring(0, dot) + "|null|" + table.substring(dot + 1);
    }

    private static Map<String, TableRows> byTable(Map<String, TableRows> byReference) {
        Map<String, TableRows> byTable = new LinkedHashMap<>();
        byReference.values().forEach(r -> byTable.put(r.table(), r));
        return byTable;
    }
}
