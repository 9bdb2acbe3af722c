package org.bemserver.schema.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.catalog.TableRows;

/**
 * Compares two snapshots into a list of typed changes, in a deterministic order (kind, then
 * schema, table and name): objects added, removed, changed (with the properties that differ) or
 * renamed (the same definition under another name), the tables whose columns come in another
 * order, and the reference rows that differ.
 */
public final class SchemaComparison {

    /**
     * The kinds whose properties tell one object from another well enough to call an added one a
     * rename of a removed one. Tables are not among them: their properties say nothing of their
     * columns, so two new tables would look like renames of any old one.
     */
    private static final Set<Kind> RENAMEABLE = EnumSet.of(
            Kind.COLLATION,
            Kind.TYPE,
            Kind.SEQUENCE,
            Kind.COLUMN,
            Kind.CONSTRAINT,
            Kind.INDEX,
            Kind.VIEW,
            Kind.FUNCTION,
            Kind.TRIGGER,
            Kind.POLICY);

    /**
     * The property that says an object of one key changed kind (a view that became a materialized
     * view): such an object is dropped and created again.
     */
    static final String KIND = "kind";

    private SchemaComparison() {}

    public static SchemaDiff compare(Snapshot first, Snapshot second) {
        return compare(first, second, true);
    }

    /**
     * The same; with {@code guessRenames} off, an object dropped and one added with the same
     * definition stay a removal and an addition.
     */
    public static SchemaDiff compare(Snapshot first, Snapshot second, boolean guessRenames) {
        List<Change> changes = new ArrayList<>();
        List<DbObject> removed = new ArrayList<>();
        List<DbObject> added = new ArrayList<>();
        for (DbObject before : first.objects().values()) {
            DbObject after = second.objects().get(before.key());
            if (after == null) {
                removed.add(before);
            } else {
                List<PropertyChange> properties = differences(before, after);
                if (!properties.isEmpty()) {
                    changes.add(new Change(Change.Type.CHANGED, before, after, properties));
                }
            }
        }
        for (DbObject after : second.objects().values()) {
            if (!first.objects().containsKey(after.key())) {
                added.add(after);
            }
        }
        if (guessRenames) {
            changes.addAll(renames(first, second, removed, added));
        }
        removed.forEach(object -> changes.add(new Change(Change.Type.REMOVED, object, null, List.of())));
        added.forEach(object -> changes.add(new Change(Change.Type.ADDED, null, object, List.of())));
        changes.sort(Comparator.comparing((Change change) -> change.object().kind())
                .thenComparing(change -> String.valueOf(change.object().schema()))
                .thenComparing(change -> String.valueOf(change.object().table()))
                .thenComparing(change -> change.object().name())
                .thenComparing(Change::type));
        return new SchemaDiff(changes, columnOrder(first, second), rows(first, second));
    }

    private static List<PropertyChange> differences(DbObject before, DbObject after) {
        Set<String> names = new LinkedHashSet<>(before.properties().keySet());
        names.addAll(after.properties().keySet());
        List<PropertyChange> differences = new ArrayList<>();
        if (!before.label().equals(after.label())) {
            // a view and a materialized view of one name and query, a function and a procedure:
            // one key, other objects (#16)
            differences.add(new PropertyChange(KIND, before.label(), after.label()));
        }
        for (String name : names) {
            String a = before.properties().get(name);
            String b = after.properties().get(name);
            if (!Objects.equals(a, b)) {
                differences.add(new PropertyChange(name, a, b));
            }
        }
        return differences;
    }

    /**
     * Pairs a removed and an added object of the same kind, label and place whose properties are
     * equal once their own name is taken out, when the pairing is one to one; removes them from
     * the lists.
     */
    private static List<Change> renames(Snapshot first, Snapshot second, List<DbObject> removed, List<DbObject> added) {
        List<Change> renames = new ArrayList<>();
        Map<DbObject, List<DbObject>> candidates = new LinkedHashMap<>();
        for (DbObject gone : removed) {
            // a typed table's columns are its type's attributes, which are not renamed on their own
            if (!RENAMEABLE.contains(gone.kind()) || ofTypedTable(first, gone)) {
                continue;
            }
            for (DbObject now : added) {
                if (gone.kind() == now.kind()
                        && !ofTypedTable(second, now)
                        && gone.label().equals(now.label())
                        && Objects.equals(gone.schema(), now.schema())
                        && Objects.equals(gone.table(), now.table())
                        && signature(gone).equals(signature(now))) {
                    candidates.computeIfAbsent(gone, g -> new ArrayList<>()).add(now);
                }
            }
        }
        candidates.forEach((gone, matches) -> {
            long claims = candidates.values().stream()
                    .filter(list -> list.contains(matches.get(0)))
                    .count();
            if (matches.size() == 1 && claims == 1) {
                renames.add(new Change(Change.Type.RENAMED, gone, matches.get(0), List.of()));
                removed.remove(gone);
                added.remove(matches.get(0));
            }
        });
        return renames;
    }

    /** Whether an object is a column of a typed table ({@code CREATE TABLE ... OF}) of a snapshot. */
    private static boolean ofTypedTable(Snapshot snapshot, DbObject object) {
        if (object.kind() != Kind.COLUMN) {
            return false;
        }
        DbObject table = snapshot.objects()
                .get(ObjectKey.table(object.schema(), object.table()).toString());
        return table != null && table.properties().containsKey("of");
    }

    /** The properties with the object's own name taken out of them. */
    private static Map<String, String> signature(DbObject object) {
        String bare = object.name().contains("(")
                ? object.name().substring(0, object.name().indexOf('('))
                : object.name();
        Pattern own = Pattern.compile(
                "(?<![\\w$])(" + Pattern.quote(bare) + "|" + Pattern.quote(Identifiers.quote(bare)) + ")(?![\\w$])");
        Map<String, String> signature = new LinkedHashMap<>();
        object.properties()
                .forEach((key, value) ->
                        signature.put(key, own.matcher(value).replaceAll(Matcher.quoteReplacement("<name>"))));
        return signature;
    }

    private static List<ColumnOrderChange> columnOrder(Snapshot first, Snapshot second) {
        List<ColumnOrderChange> changes = new ArrayList<>();
        first.columnOrder().forEach((table, before) -> {
            List<String> after = second.columnOrder().get(table);
            if (after != null) {
                List<String> a = before.stream().filter(after::contains).toList();
                List<String> b = after.stream().filter(before::contains).toList();
                if (!a.equals(b)) {
                    changes.add(new ColumnOrderChange(table, a, b));
                }
            }
        });
        return changes;
    }

    private static String position(Long last) {
        return last == null ? "unused" : "last value " + last;
    }

    private static List<RowsChange> rows(Snapshot first, Snapshot second) {
        Set<String> tables = new LinkedHashSet<>(first.rows().keySet());
        tables.addAll(second.rows().keySet());
        List<RowsChange> changes = new ArrayList<>();
        for (String table : tables) {
            TableRows a = first.rows().get(table);
            TableRows b = second.rows().get(table);
            Map<String, List<String>> before = a == null ? Map.of() : a.rows();
            Map<String, List<String>> after = b == null ? Map.of() : b.rows();
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            before.forEach((key, row) -> {
                List<String> now = after.get(key);
                if (now == null) {
                    removed.add(TableRows.literal(row));
                } else if (!a.byColumn(row).equals(b.byColumn(now))) {
                    // by column name: a column added by a migration lands last, in the model it may not
                    changed.add(TableRows.literal(row) + " -> " + TableRows.literal(now));
                }
            });
            after.forEach((key, row) -> {
                if (!before.containsKey(key)) {
                    added.add(TableRows.literal(row));
                }
            });
            List<String> sequences = new ArrayList<>();
            if (a != null && b != null) {
                for (String name : a.sequences().keySet()) {
                    if (b.sequences().containsKey(name)
                            && !Objects.equals(
                                    a.sequences().get(name), b.sequences().get(name))) {
                        sequences.add(name + ": " + position(a.sequences().get(name)) + " -> "
                                + position(b.sequences().get(name)));
                    }
                }
            }
            RowsChange change = new RowsChange(table, added, removed, changed, sequences);
            if (!change.isEmpty()) {
                changes.add(change);
            }
        }
        return changes;
    }
}
