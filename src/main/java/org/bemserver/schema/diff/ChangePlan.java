package org.bemserver.schema.diff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;
import org.bemserver.schema.catalog.Snapshot;

/**
 * What a script does to each object, decided before any step is written: which objects are
 * dropped, which are dropped and created again (a view over a retyped column, a trigger on a
 * recreated function, an enum that loses a label), which columns a recreated enum or domain
 * retypes, and which defaults are set aside while the function they call is recreated. One
 * decision spans kinds (recreating an enum retypes columns, recreates views, sets defaults
 * again), so the whole plan is decided here, once, and is read-only afterwards. What each change
 * allows on its own (in place or recreated) comes from {@link ChangeRules}.
 */
final class ChangePlan {

    private final Snapshot from;
    private final Snapshot to;
    private final SchemaDiff diff;

    private final Map<ObjectKey, List<ObjectKey>> reverseFrom = new HashMap<>();
    private final SortedSet<ObjectKey> dropped = new TreeSet<>();
    private final SortedSet<ObjectKey> recreated = new TreeSet<>();
    /** Columns an enum or domain recreation retypes, default included. */
    private final SortedSet<ObjectKey> typeRetyped = new TreeSet<>();
    /** Columns whose default calls a recreated function: dropped before it, set again after. */
    private final SortedSet<ObjectKey> defaultsAround = new TreeSet<>();
    /** The enums of both snapshots, qualified as a column's type names them. */
    private final Set<String> enumNames = new HashSet<>();
    /** The typed tables, and the columns {@code ALTER TYPE ... CASCADE} changes. */
    private final TypedTables typedTables;

    ChangePlan(Snapshot from, Snapshot to, SchemaDiff diff, int serverMajor) {
        this.from = from;
        this.to = to;
        this.diff = diff;
        for (Snapshot snapshot : List.of(from, to)) {
            snapshot.all(Kind.TYPE).stream()
                    .filter(type -> type.label().equals("enum"))
                    .forEach(type -> enumNames.add(Identifiers.qualified(type.schema(), type.name())));
        }
        from.dependencies()
                .forEach((dependent, referenced) -> referenced.forEach(r -> reverseFrom
                        .computeIfAbsent(ObjectKey.parse(r), k -> new ArrayList<>())
                        .add(ObjectKey.parse(dependent))));
        ChangeRules rules = new ChangeRules(to, serverMajor, this::usedByColumns);
        Map<ObjectKey, Change> changed = new TreeMap<>();
        for (Change change : diff.changes()) {
            switch (change.type()) {
                case REMOVED -> dropped.add(ObjectKey.of(change.before()));
                case CHANGED -> changed.put(ObjectKey.of(change.after()), change);
                default -> {}
            }
        }
        Set<ObjectKey> retyped = new TreeSet<>();
        changed.forEach((key, change) -> {
            if (rules.needsRecreate(change)) {
                recreated.add(key);
            } else if (change.after().kind() == Kind.COLUMN && ChangeRules.changes(change, "type", "collation")) {
                retyped.add(key);
            } else if (change.after().kind() == Kind.TYPE
                    && change.after().label().equals("enum")
                    && !rules.enumAppendOnly(change)) {
                recreated.add(key);
            }
        });
        // a domain over a recreated domain is recreated over the new one: PostgreSQL cannot change a base type
        for (ObjectKey key : List.copyOf(recreated)) {
            recreateDomainsOver(key);
        }
        for (ObjectKey key : recreated) {
            if (isRenamedAround(source(key))) {
                for (ObjectKey dependent : dependents(key)) {
                    if (dependent.kind() == Kind.COLUMN && target(dependent) != null) {
                        typeRetyped.add(dependent);
                    }
                }
            }
        }
        // a domain's columns are retyped: what depends on them is recreated around them
        typeRetyped.stream()
                .filter(column -> source(column) != null && isDomainColumn(column))
                .forEach(retyped::add);
        closeOverDependents(retyped);
        // a relation replaced by one of another kind under its name (a table that becomes a view)
        // takes its indexes, triggers, policies and privileges with it: made again on the new one
        Set<String> replaced = replacedRelations();
        for (DbObject object : to.objects().values()) {
            String relation = object.kind() == Kind.PRIVILEGE
                    ? qualified(ObjectKey.subjectOf(object))
                    : object.table() == null ? null : object.schema() + "." + object.table();
            if (relation != null
                    && replaced.contains(relation)
                    && from.objects().containsKey(object.key())) {
                recreated.add(ObjectKey.of(object));
            }
        }
        // privileges go with a dropped relation or routine: grant them again on the new one
        for (ObjectKey key : List.copyOf(recreated)) {
            DbObject subject = target(key);
            if (subject != null
                    && (subject.kind() == Kind.VIEW
                            || subject.kind() == Kind.TABLE
                            || subject.kind() == Kind.FUNCTION)) {
                for (DbObject privilege : to.all(Kind.PRIVILEGE)) {
                    boolean on = subject.kind() == Kind.FUNCTION
                            ? ObjectKey.subjectOf(privilege).equals(key)
                            : Objects.equals(privilege.schema(), subject.schema())
                                    && privilege.table().equals(subject.name());
                    if (on && from.objects().containsKey(privilege.key())) {
                        recreated.add(ObjectKey.of(privilege));
                    }
                }
            }
        }
        for (ObjectKey key : recreated) {
            if (key.kind() == Kind.FUNCTION) {
                for (ObjectKey dependent : dependents(key)) {
                    DbObject column = source(dependent);
                    if (column != null
                            && column.kind() == Kind.COLUMN
                            && column.properties().containsKey("default")
                            && dependencies(to, dependent).contains(key)
                            && !droppedWithItsTable(column)
                            && !typeRetyped.contains(dependent)) {
                        defaultsAround.add(dependent);
                    }
                }
            }
        }
        typedTables = new TypedTables(this, changed);
    }

    // ---------------------------------------------------------------- the plan, read

    Snapshot from() {
        return from;
    }

    Snapshot to() {
        return to;
    }

    SchemaDiff diff() {
        return diff;
    }

    boolean isDropped(ObjectKey key) {
        return dropped.contains(key);
    }

    boolean isRecreated(ObjectKey key) {
        return recreated.contains(key);
    }

    /** The objects dropped and created again, in key order. */
    SortedSet<ObjectKey> recreated() {
        return Collections.unmodifiableSortedSet(recreated);
    }

    boolean isTypeRetyped(ObjectKey column) {
        return typeRetyped.contains(column);
    }

    /** The columns whose default is dropped before, and set after, the function it calls is recreated. */
    SortedSet<ObjectKey> defaultsAround() {
        return Collections.unmodifiableSortedSet(defaultsAround);
    }

    boolean hasDefaultAround(ObjectKey column) {
        return defaultsAround.contains(column);
    }

    /** What depends on an object in the source (pg_depend, reversed). */
    List<ObjectKey> dependents(ObjectKey key) {
        return reverseFrom.getOrDefault(key, List.of());
    }

    DbObject source(ObjectKey key) {
        return from.objects().get(key.toString());
    }

    DbObject target(ObjectKey key) {
        return to.objects().get(key.toString());
    }

    /** What an object depends on in a snapshot (pg_depend). */
    static Set<ObjectKey> dependencies(Snapshot snapshot, ObjectKey key) {
        Set<ObjectKey> keys = new LinkedHashSet<>();
        snapshot.dependenciesOf(key.toString()).forEach(k -> keys.add(ObjectKey.parse(k)));
        return keys;
    }

    /** A table's columns in a snapshot, in their order. */
    static List<DbObject> columnsOf(Snapshot snapshot, DbObject table) {
        List<String> order = snapshot.columnOrder().getOrDefault(table.schema() + "." + table.name(), List.of());
        List<DbObject> columns = new ArrayList<>();
        for (String column : order) {
            DbObject object =
                    snapshot.objects().get(new ObjectKey(Kind.COLUMN, table.schema(), table.name(), column).toString());
            if (object != null) {
                columns.add(object);
            }
        }
        return columns;
    }

    // ---------------------------------------------------------------- what goes with what

    /** Columns, indexes, triggers, policies and privileges go with their table (foreign keys are dropped first). */
    boolean droppedWithItsTable(DbObject object) {
        if (object.table() == null) {
            return false;
        }
        ObjectKey table = ObjectKey.of(object).tableKey();
        ObjectKey view = new ObjectKey(Kind.VIEW, table.schema(), null, table.name());
        boolean tableGoes = (dropped.contains(table) || recreated.contains(table)) && source(table) != null
                || (dropped.contains(view) || recreated.contains(view)) && source(view) != null;
        boolean foreignKey = object.kind() == Kind.CONSTRAINT && object.label().equals("foreign key");
        return tableGoes && !foreignKey;
    }

    /** Privileges on a routine or a schema go with it (a new routine starts from the defaults). */
    boolean droppedWithItsSubject(DbObject object) {
        if (object.kind() != Kind.PRIVILEGE) {
            return false;
        }
        ObjectKey subject = ObjectKey.subjectOf(object);
        return subject.kind() != Kind.TABLE && (dropped.contains(subject) || recreated.contains(subject));
    }

    /** A sequence owned by a column that is dropped goes with it. */
    boolean droppedWithItsColumn(DbObject object) {
        if (object.kind() != Kind.SEQUENCE) {
            return false;
        }
        String owner = from.ownedBy().get(object.key());
        if (owner == null) {
            return false;
        }
        ObjectKey column = ObjectKey.parse(owner);
        return dropped.contains(column) || dropped.contains(column.tableKey()) || recreated.contains(column.tableKey());
    }

    /** Whether the table of a column of the target is created by the script (its columns come in its CREATE TABLE). */
    boolean isNewTable(DbObject column) {
        ObjectKey table = ObjectKey.of(column).tableKey();
        return source(table) == null || recreated.contains(table);
    }

    /** Whether the table of the column that owns a sequence is recreated. */
    boolean recreatedTable(String ownerColumn) {
        return ownerColumn != null
                && recreated.contains(ObjectKey.parse(ownerColumn).tableKey());
    }

    /** A NOT NULL column without default added to a reference table that already has rows. */
    boolean fillsFromRows(DbObject column) {
        Map<String, String> p = column.properties();
        if (!p.containsKey("not null")
                || p.containsKey("default")
                || p.containsKey("identity")
                || p.containsKey("generated")) {
            return false;
        }
        return from.rows().values().stream()
                .anyMatch(rows -> rows.schema().equals(column.schema())
                        && rows.name().equals(column.table())
                        && !rows.rows().isEmpty());
    }

    /** Whether a column type ({@code public.mood}, {@code public.mood[]}) is an enum of either snapshot. */
    boolean isEnum(String columnType) {
        if (columnType == null) {
            return false;
        }
        String element = columnType.endsWith("[]") ? columnType.substring(0, columnType.length() - 2) : columnType;
        return enumNames.contains(element);
    }

    /** The typed tables of the source, and the columns {@code ALTER TYPE ... CASCADE} changes. */
    TypedTables typedTables() {
        return typedTables;
    }

    /** Whether a column of a table (its type, or an array of it) uses the type in the source. */
    boolean usedByColumns(DbObject type) {
        return dependents(ObjectKey.of(type)).stream().anyMatch(key -> key.kind() == Kind.COLUMN);
    }

    // ---------------------------------------------------------------- decisions

    /**
     * The relations ({@code schema.name}) dropped and created again as another kind: a table or
     * sequence replaced by a view of its name (or back), a view that becomes a materialized view.
     */
    private Set<String> replacedRelations() {
        Set<String> gone = new HashSet<>();
        Set<String> replaced = new HashSet<>();
        for (Change change : diff.changes()) {
            DbObject object = change.object();
            boolean relation =
                    object.kind() == Kind.TABLE || object.kind() == Kind.VIEW || object.kind() == Kind.SEQUENCE;
            if (!relation) {
                continue;
            }
            String name = object.schema() + "." + object.name();
            switch (change.type()) {
                case REMOVED -> gone.add(name);
                case CHANGED -> {
                    if (ChangeRules.changes(change, SchemaComparison.KIND)) {
                        replaced.add(name);
                    }
                }
                default -> {}
            }
        }
        for (Change change : diff.changes()) {
            DbObject object = change.object();
            if (change.type() == Change.Type.ADDED && gone.contains(object.schema() + "." + object.name())) {
                replaced.add(object.schema() + "." + object.name());
            }
        }
        return replaced;
    }

    private static String qualified(ObjectKey key) {
        return key.kind() == Kind.TABLE ? key.schema() + "." + key.name() : null;
    }

    /**
     * Enums, domains and collations are recreated beside the old one, which columns keep using
     * until they are retyped to the new one (a DROP would fail while a column uses it).
     */
    static boolean isRenamedAround(DbObject type) {
        return type.kind() == Kind.COLLATION
                || type.kind() == Kind.TYPE
                        && (type.label().equals("enum") || type.label().equals("domain"));
    }

    /** Recreates the domains whose base type is a recreated domain, and theirs in turn. */
    private void recreateDomainsOver(ObjectKey key) {
        DbObject type = source(key);
        if (type == null || type.kind() != Kind.TYPE || !type.label().equals("domain")) {
            return;
        }
        for (ObjectKey dependent : dependents(key)) {
            DbObject domain = source(dependent);
            if (domain != null
                    && domain.kind() == Kind.TYPE
                    && domain.label().equals("domain")
                    && target(dependent) != null
                    && recreated.add(dependent)) {
                recreateDomainsOver(dependent);
            }
        }
    }

    /**
     * The composite types of both snapshots whose attributes are of a recreated domain (or arrays
     * of it): their attributes are retyped to the new domain in place.
     */
    List<ObjectKey> compositesOver(ObjectKey domain) {
        return dependents(domain).stream()
                .filter(key -> {
                    DbObject composite = source(key);
                    return composite != null
                            && composite.kind() == Kind.TYPE
                            && composite.label().equals("composite")
                            && target(key) != null
                            && !recreated.contains(key);
                })
                .toList();
    }

    private boolean isDomainColumn(ObjectKey column) {
        return dependencies(from, column).stream().anyMatch(key -> {
            DbObject type = source(key);
            return type != null && type.kind() == Kind.TYPE && type.label().equals("domain") && recreated.contains(key);
        });
    }

    /**
     * Objects of the source that stay but depend, directly or not, on something dropped,
     * recreated or retyped are recreated around it.
     */
    private void closeOverDependents(Set<ObjectKey> retyped) {
        Deque<ObjectKey> work = new ArrayDeque<>();
        work.addAll(dropped);
        work.addAll(recreated);
        work.addAll(retyped);
        Set<ObjectKey> seen = new HashSet<>(work);
        while (!work.isEmpty()) {
            ObjectKey key = work.pop();
            for (ObjectKey dependent : dependents(key)) {
                if (key.kind() == Kind.FUNCTION && isGeneratedOver(dependent)) {
                    // a generated column calls the function: dropped before it, added again after
                    // (its values are computed again), with what depends on it
                    seen.add(dependent);
                    retyped.remove(dependent);
                    recreated.add(dependent);
                    dependents(dependent).forEach(seen::remove);
                    work.add(dependent);
                    continue;
                }
                if (!seen.add(dependent)) {
                    continue;
                }
                DbObject object = target(dependent);
                if (object == null || source(dependent) == null) {
                    continue;
                }
                if (isRecreatable(object) && !(retyped.contains(key) && ownedByRetype(object))) {
                    recreated.add(dependent);
                    work.add(dependent);
                }
            }
        }
    }

    /** A generated column of both snapshots, not yet recreated, whose table stays. */
    private boolean isGeneratedOver(ObjectKey column) {
        DbObject before = source(column);
        DbObject after = target(column);
        return column.kind() == Kind.COLUMN
                && before != null
                && after != null
                && before.properties().get("generated") != null
                && after.properties().get("generated") != null
                && !recreated.contains(column)
                && !droppedWithItsTable(before);
    }

    /** Kinds a script may drop and create again without losing data. */
    private static boolean isRecreatable(DbObject object) {
        return switch (object.kind()) {
            case VIEW, TRIGGER, POLICY, CONSTRAINT, INDEX, FUNCTION -> true;
            default -> false;
        };
    }

    /** PostgreSQL rebuilds a retyped column's indexes and constraints itself. */
    private static boolean ownedByRetype(DbObject object) {
        return object.kind() == Kind.INDEX || object.kind() == Kind.CONSTRAINT;
    }
}
