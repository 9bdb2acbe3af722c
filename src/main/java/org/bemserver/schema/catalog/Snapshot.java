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

    /**
     * This snapshot with the database's name {@code name} written {@code as} in what its objects
     * hold (a comment, the text of a view or a function, a default): a script's
     * {@code ${flyway:database}} names the database it ran on, and the databases a comparison
     * builds have names of their own. Only a name that nothing else holds by chance is safe to
     * replace: a throwaway database's. The rows of reference tables are left as they are.
     */
    public Snapshot naming(String name, String as) {
        if (name.equals(as)) {
            return this;
        }
        Map<String, DbObject> written = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<String, DbObject> object : objects.entrySet()) {
            DbObject now = object.getValue().writing(name, as);
            changed |= now != object.getValue();
            written.put(object.getKey(), now);
        }
        return changed ? new Snapshot(written, columnOrder, rows, dependencies, ownedBy) : this;
    }

    /** The keys {@code key} depends on; empty when none. */
    public Set<String> dependenciesOf(String key) {
        return dependencies.getOrDefault(key, Set.of());
    }
}
