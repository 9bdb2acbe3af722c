package org.bemserver.schema.diff;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;
import org.bemserver.schema.diff.Step.Action;

/**
 * Writes the steps that change the schema's objects as the {@link ChangePlan} decided: drops,
 * creates and renames, an enum or domain recreated beside the old one, defaults set aside around a
 * recreated function, and sequence ownership; {@link AlterSteps} writes what is altered in place.
 * The text comes from {@link Sql}; the order from the {@link StepGraph} the steps are added to.
 */
final class SchemaSteps {

    private final ChangePlan plan;
    private final StepGraph graph;
    private final AlterSteps alterSteps;
    /** The drop of the old type each enum, domain or collation recreated beside it leaves. */
    private final Map<ObjectKey, Step> oldTypeDrops = new HashMap<>();

    private SchemaSteps(ChangePlan plan, StepGraph graph) {
        this.plan = plan;
        this.graph = graph;
        this.alterSteps = new AlterSteps(plan, graph);
    }

    static void write(ChangePlan plan, StepGraph graph) {
        new SchemaSteps(plan, graph).write();
    }

    private void write() {
        for (Change change : plan.diff().changes()) {
            switch (change.type()) {
                case ADDED -> create(change.after());
                case REMOVED -> drop(change.before());
                case RENAMED -> rename(change.before(), change.after());
                case CHANGED -> {
                    if (!plan.isRecreated(ObjectKey.of(change.after()))) {
                        alterSteps.write(change);
                    }
                }
            }
        }
        for (ObjectKey key : plan.recreated()) {
            DbObject before = plan.source(key);
            DbObject after = plan.target(key);
            if (ChangePlan.isRenamedAround(before)) {
                recreateType(before, after);
                continue;
            }
            Step drop = drop(before);
            Step create = create(after);
            if (drop != null && create != null) {
                create.after.add(drop);
            }
        }
        plan.defaultsAround().forEach(this::defaultAround);
        ownership();
        alterSteps.orderTypedTables();
        orderOldTypeDrops();
    }

    private Step create(DbObject object) {
        if (object.table() != null && object.kind() == Kind.COLUMN && plan.isNewTable(object)) {
            return null; // written in its CREATE TABLE
        }
        if (object.kind() == Kind.COLUMN && plan.typedTables().isCascaded(ObjectKey.of(object))) {
            return alterSteps.cascadedColumn(object); // added by ALTER TYPE ... ADD ATTRIBUTE ... CASCADE
        }
        Step step = graph.add(Action.CREATE, object);
        List<DbObject> columns = object.kind() == Kind.TABLE ? ChangePlan.columnsOf(plan.to(), object) : List.of();
        if (object.kind() == Kind.COLUMN && plan.fillsFromRows(object)) {
            // added nullable, filled by the reference rows, then made NOT NULL
            Map<String, String> nullable = new LinkedHashMap<>(object.properties());
            nullable.remove("not null");
            Step notNull = graph.add(Action.ALTER, object);
            notNull.setsNotNull = true;
            notNull.after.add(step);
            notNull.sql(Sql.alterColumn(object) + " SET NOT NULL");
            return step.sql(
                    Sql.create(
                            new DbObject(
                                    object.kind(),
                                    object.label(),
                                    object.schema(),
                                    object.table(),
                                    object.name(),
                                    nullable),
                            columns),
                    null);
        }
        return step.sql(Sql.create(object, columns), null);
    }

    private Step drop(DbObject object) {
        if (plan.droppedWithItsTable(object)
                || plan.typedTables().droppedWithItsAttribute(object)
                || plan.droppedWithItsColumn(object)
                || plan.droppedWithItsSubject(object)) {
            return null;
        }
        return graph.add(Action.DROP, object).sql(Sql.drop(object), dropWarning(object));
    }

    private String dropWarning(DbObject object) {
        boolean recreated = plan.isRecreated(ObjectKey.of(object));
        return switch (object.kind()) {
            case SCHEMA -> "drops schema " + object.name() + " (data loss if it still holds anything)";
            case EXTENSION -> recreated ? extensionLowered(object) : null;
            case TYPE ->
                object.label().equals("composite") && recreated && alterSteps.typedTablesRefusal(object) != null
                        ? alterSteps.typedTablesRefusal(object)
                        : object.label().equals("composite") && recreated && plan.usedByColumns(object)
                                ? MigrationScript.knownLimit("recreates composite type " + object.displayName()
                                        + ", which columns use: PostgreSQL refuses this drop, and changes the type "
                                        + "of an attribute in place only while no column uses the type; migrate "
                                        + "those columns by hand")
                                : null;
            case TABLE ->
                recreated
                        ? "recreates table " + object.displayName() + " without its rows (data loss)"
                        : "drops table " + object.displayName() + " and its rows (data loss)";
            // a generated column added again computes its values again
            case COLUMN ->
                recreated
                                && object.properties().containsKey("generated")
                                && plan.target(ObjectKey.of(object)) != null
                                && plan.target(ObjectKey.of(object))
                                        .properties()
                                        .containsKey("generated")
                        ? null
                        : "drops column " + object.displayName() + " and its values (data loss)";
            default -> null;
        };
    }

    /** Why a lowered extension is dropped and created again, and what stops that. */
    private String extensionLowered(DbObject before) {
        DbObject after = plan.target(ObjectKey.of(before));
        String why = "lowers extension " + before.name() + " from "
                + before.properties().get("version") + " to "
                + after.properties().get("version") + ": PostgreSQL has no downgrade path for it, so it is dropped and "
                + "created again at " + after.properties().get("version")
                + ", with the views, functions and indexes that "
                + "use it"
                + (plan.usedByColumns(before)
                        ? "; columns of its types make this drop fail: migrate them to "
                                + "another type first, or keep the newer version"
                        : "")
                + " (data loss in any table the extension owns)";
        return plan.usedByColumns(before) ? MigrationScript.knownLimit(why) : why;
    }

    private void rename(DbObject before, DbObject after) {
        Step step = graph.add(Action.RENAME, after);
        // the comparison pairs a dropped and an added object of one definition: a guess (#16)
        step.guessed(
                SchemaDiff.renameStatement(before, after),
                "guessed rename of " + before.displayName() + " to "
                        + after.displayName() + "; if " + before.displayName() + " was really dropped and "
                        + after.displayName()
                        + " added, replace with DROP/ADD");
        graph.consumes(ObjectKey.of(before), step);
    }

    /**
     * An enum whose labels are removed or reordered, a domain whose base type changes, or a
     * collation whose options change: the old one is renamed, the new one created, the columns
     * that use it retyped (an enum's through text, a collation's to the same type with the new
     * collation), then the old one dropped.
     */
    private void recreateType(DbObject before, DbObject after) {
        boolean domain = before.label().equals("domain");
        boolean collation = before.kind() == Kind.COLLATION;
        String old = Identifiers.quote(before.name() + "__old");
        // a rename keeps what uses the type working, so it waits for nothing
        Step rename = graph.add(Action.RENAME, before);
        rename.sql("ALTER " + (collation ? "COLLATION " : domain ? "DOMAIN " : "TYPE ") + Sql.name(before)
                + " RENAME TO " + old);
        Step create = create(after);
        create.after.add(rename);
        String warning = retypeWarning(before, after);
        for (ObjectKey dependent : plan.dependents(ObjectKey.of(before))) {
            DbObject column = plan.target(dependent);
            if (column == null
                    || column.kind() != Kind.COLUMN
                    || plan.source(dependent) == null
                    || plan.isDropped(dependent.tableKey())) {
                continue;
            }
            Step retype = graph.add(Action.ALTER, column);
            retype.after.add(create);
            String alter = Sql.alterColumn(column);
            if (plan.source(dependent).properties().containsKey("default")) {
                retype.sql(alter + " DROP DEFAULT");
            }
            if (collation) {
                retype.sql(alter + " TYPE " + column.properties().get("type") + " COLLATE "
                        + column.properties().get("collation"));
            } else {
                retype.sql(
                        alter + " TYPE " + column.properties().get("type") + " USING "
                                + Identifiers.quote(column.name()) + (domain ? "" : "::text") + "::"
                                + column.properties().get("type"),
                        warning);
            }
            if (column.properties().containsKey("default")) {
                retype.sql(alter + " SET DEFAULT " + column.properties().get("default"));
            }
        }
        if (domain) {
            alterSteps.retypeAttributesOver(before, create);
        }
        Step drop = graph.detached(Action.DROP, ObjectKey.of(before), StepGraph.rank(Action.DROP, before) + 1, true);
        String oldName = Identifiers.qualified(before.schema(), before.name() + "__old");
        drop.sql(collation ? "DROP COLLATION " + oldName : Sql.dropType(before, oldName));
        for (Step step : graph.steps()) {
            if (step.action == Action.ALTER && step.key.kind() == Kind.COLUMN) {
                drop.after.add(step);
            }
        }
        drop.after.add(create);
        oldTypeDrops.put(ObjectKey.of(before), drop);
    }

    /** A domain recreated over a recreated domain is dropped before the old one it was over. */
    private void orderOldTypeDrops() {
        oldTypeDrops.forEach((key, drop) -> {
            for (ObjectKey dependent : plan.dependents(key)) {
                Step dependentDrop = oldTypeDrops.get(dependent);
                if (dependentDrop != null) {
                    drop.after.add(dependentDrop);
                }
            }
        });
    }

    /** What retyping the columns of a recreated enum or domain may lose. */
    private static String retypeWarning(DbObject before, DbObject after) {
        if (before.kind() == Kind.COLLATION) {
            return null;
        }
        if (before.label().equals("domain")) {
            String beforeBase = before.properties().get("definition");
            String afterBase = after.properties().get("definition");
            return ChangeRules.narrowing(beforeBase, afterBase)
                    ? "changes the base type of " + before.displayName() + " from " + beforeBase + " to " + afterBase
                            + " (data loss if values do not fit)"
                    : null;
        }
        List<String> kept = TypeDefinitions.labels(after);
        List<String> removed = TypeDefinitions.labels(before).stream()
                .filter(l -> !kept.contains(l))
                .toList();
        return removed.isEmpty()
                ? null
                : MigrationScript.knownLimit("removes label" + (removed.size() > 1 ? "s " : " ")
                        + String.join(", ", removed) + " of " + before.displayName() + ": rows holding "
                        + (removed.size() > 1 ? "them" : "it") + " make this fail; update them to another label "
                        + "first, or delete them (data loss)");
    }

    /**
     * A default that calls a function which is dropped and created again (its result type
     * changes) would block the drop: it is dropped first, and set again (as the target has it)
     * once the new function exists and the column has its final shape.
     */
    private void defaultAround(ObjectKey key) {
        DbObject column = plan.target(key);
        String alter = Sql.alterColumn(column);
        Step drop = graph.add(Action.DROP, plan.source(key));
        drop.sql(alter + " DROP DEFAULT");
        Step set = graph.detached(Action.CREATE, key, StepGraph.rank(Action.ALTER, column), false);
        set.after.add(drop);
        set.after.addAll(graph.producing(key));
        graph.produces(key, set);
        set.sql(alter + " SET DEFAULT " + column.properties().get("default"));
    }

    /** {@code ALTER SEQUENCE ... OWNED BY} once both the sequence and its column exist. */
    private void ownership() {
        Set<String> sequences = new TreeSet<>(plan.from().ownedBy().keySet());
        sequences.addAll(plan.to().ownedBy().keySet());
        for (String sequenceKey : sequences) {
            ObjectKey key = ObjectKey.parse(sequenceKey);
            DbObject sequence = plan.target(key);
            String owner = plan.to().ownedBy().get(sequenceKey);
            if (sequence == null
                    || Objects.equals(owner, plan.from().ownedBy().get(sequenceKey))
                            && !plan.isRecreated(key)
                            && plan.source(key) != null
                            && !plan.recreatedTable(owner)) {
                continue;
            }
            // not among the steps that produce the sequence: what uses the sequence (the owning
            // column's default) needs it created, not owned, and waiting for this would be a cycle
            Step step = graph.detached(Action.OWNED_BY, key, StepGraph.rank(Action.OWNED_BY, sequence), false);
            if (owner == null) {
                step.sql("ALTER SEQUENCE " + Sql.name(sequence) + " OWNED BY NONE");
            } else {
                ObjectKey column = ObjectKey.parse(owner);
                step.sql("ALTER SEQUENCE " + Sql.name(sequence) + " OWNED BY "
                        + Identifiers.qualified(column.schema(), column.table()) + "."
                        + Identifiers.quote(column.name()));
                step.after.addAll(graph.producing(column));
                step.after.addAll(graph.producing(column.tableKey()));
            }
            step.after.addAll(graph.producing(key));
        }
    }
}
