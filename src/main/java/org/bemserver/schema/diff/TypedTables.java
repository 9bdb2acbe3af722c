package org.bemserver.schema.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;

/**
 * Typed tables ({@code CREATE TABLE ... OF type}) and what {@code ALTER TYPE ... CASCADE} does to
 * them: the columns it adds, drops or retypes with their composite type's attributes, which
 * PostgreSQL refuses to add, drop or retype on their own, so their steps leave that out.
 */
final class TypedTables {

    private final ChangePlan plan;
    /** Each column {@code ALTER TYPE ... CASCADE} changes, with its composite type. */
    private final Map<ObjectKey, ObjectKey> cascaded = new TreeMap<>();

    /** The cascaded columns of the composite types {@code plan} alters in place. */
    TypedTables(ChangePlan plan, Map<ObjectKey, Change> changed) {
        this.plan = plan;
        changed.forEach((key, change) -> {
            if (key.kind() == Kind.TYPE
                    && change.after().label().equals("composite")
                    && !plan.isRecreated(key)
                    && ChangeRules.changes(change, "definition")) {
                cascadeColumns(key, change);
            }
        });
    }

    /** The tables of the source that are typed tables of a composite type. */
    List<DbObject> of(DbObject type) {
        String name = Identifiers.qualified(type.schema(), type.name());
        return plan.from().all(Kind.TABLE).stream()
                .filter(table -> name.equals(table.properties().get("of")))
                .sorted(Comparator.comparing(DbObject::displayName))
                .toList();
    }

    /**
     * The typed tables of a composite type that stay typed tables of it, which {@code ALTER TYPE
     * ... CASCADE} changes with it (the tables under them too, whose inherited columns a snapshot
     * leaves to their parent).
     */
    List<DbObject> cascadeTables(DbObject type) {
        String name = Identifiers.qualified(type.schema(), type.name());
        return of(type).stream()
                .filter(table -> {
                    ObjectKey key = ObjectKey.of(table);
                    return plan.target(key) != null
                            && !plan.isRecreated(key)
                            && name.equals(plan.target(key).properties().get("of"));
                })
                .toList();
    }

    /** Whether {@code ALTER TYPE ... CASCADE} adds, drops or retypes a column of a typed table. */
    boolean isCascaded(ObjectKey column) {
        return cascaded.containsKey(column);
    }

    /** A typed table's column goes with its type's attribute ({@code ALTER TYPE ... DROP ATTRIBUTE ... CASCADE}). */
    boolean droppedWithItsAttribute(DbObject object) {
        ObjectKey key = ObjectKey.of(object);
        return object.kind() == Kind.COLUMN && cascaded.containsKey(key) && plan.target(key) == null;
    }

    /** The columns {@code ALTER TYPE ... CASCADE} adds, drops or retypes with a composite type, in key order. */
    List<ObjectKey> cascadedColumns(ObjectKey composite) {
        return cascaded.entrySet().stream()
                .filter(entry -> entry.getValue().equals(composite))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The columns of the tables {@code ALTER TYPE ... CASCADE} reaches whose attribute changes. */
    private void cascadeColumns(ObjectKey composite, Change change) {
        Map<String, String> before = TypeDefinitions.attributes(change.before());
        Map<String, String> after = TypeDefinitions.attributes(change.after());
        for (DbObject table : cascadeTables(change.before())) {
            List<DbObject> columns = new ArrayList<>(ChangePlan.columnsOf(plan.from(), table));
            columns.addAll(ChangePlan.columnsOf(plan.to(), table));
            for (DbObject column : columns) {
                String attribute = Identifiers.quote(column.name());
                if ((before.containsKey(attribute) || after.containsKey(attribute))
                        && !Objects.equals(before.get(attribute), after.get(attribute))) {
                    cascaded.put(ObjectKey.of(column), composite);
                }
            }
        }
    }
}
