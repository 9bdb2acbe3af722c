package org.bemserver.schema.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the managed schemas of a database hold, read from the catalog: every object by key, the
 * order of each table's columns (reported apart: a column added by a migration lands last), the
 * rows of the reference tables, and what depends on what.
 *
 * @param objects every object by {@link DbObject#key()}, sorted
 * @param columnOrder the columns of each table ({@code schema.table}), in their physical order
 * @param rows the reference tables' rows, by qualified table name
 * @param dependencies for each object key, the keys of the objects it depends on (pg_depend)
 * @param ownedBy for each sequence key, the key of the column that owns it ({@code OWNED BY})
 */
public record Snapshot(
        Map<String, DbObject> objects,
        Map<String, List<String>> columnOrder,
        Map<String, TableRows> rows,
        Map<String, Set<String>> dependencies,
        Map<String, String> ownedBy) {

    public Snapshot {
        objects = Collections.unmodifiableMap(new TreeMap<>(objects));
        columnOrder = Collections.unmodifiableMap(new TreeMap<>(columnOrder));
        rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
        dependencies = Collections.unmodifiableMap(new TreeMap<>(dependencies));
        ownedBy = Collections.unmodifiableMap(new TreeMap<>(ownedBy));
    }

    /** The objects of one kind, sorted by key. */
    public List<DbObject> all(Kind kind) {
        return objects.values().stream().filter(o -> o.kind() == kind).toList();
    }

    /** The keys {@code key} depends on; empty when none. */
    public Set<String> dependenciesOf(String key) {
        return dependencies.getOrDefault(key, Set.of());
    }
}
