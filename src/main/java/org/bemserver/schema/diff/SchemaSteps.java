package org.bemserver.schema.diff;

import java.util.ArrayList;
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
 * creates, renames and alters, an enum or domain recreated beside the old one, defaults set aside
 * around a recreated function, and sequence ownership. The text comes from {@link Sql}; the order
 * from the {@link StepGraph} the steps are added to.
 */
final class SchemaSteps {

    private final ChangePlan plan;
    private final StepGraph graph;
    /** The {@code ALTER TABLE ... NOT OF} and {@code OF} steps, ordered around their columns' steps at the end. */
    private final List<Step> notOfSteps = new ArrayList<>();

    private final List<Step> ofSteps = new ArrayList<>();
    /** The drop of the old type each enum, domain or collation recreated beside it leaves. */
    private final Map<ObjectKey, Step> oldTypeDrops = new HashMap<>();

    private SchemaSteps(ChangePlan plan, StepGraph graph) {
        this.plan = plan;
        this.graph = graph;
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
                        alter(change);
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
        orderTypedTables();
        orderOldTypeDrops();
    }

    private Step create(DbObject object) {
        if (object.table() != null && object.kind() == Kind.COLUMN && plan.isNewTable(object)) {
            return null; // written in its CREATE TABLE
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
                object.label().equals("composite") && recreated && typedTablesWarning(object) != null
                        ? typedTablesWarning(object)
                        : object.label().equals("composite") && recreated && plan.usedByColumns(object)
                                ? "recreates composite type " + object.displayName()
                                        + ", which columns use: PostgreSQL refuses this "
                                        + "drop, and changes the type of an attribute in place only while no column uses the type; "
                                        + "migrate those columns by hand"
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
        return "lowers extension " + before.name() + " from "
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

    private void alter(Change change) {
        DbObject object = change.after();
        ObjectKey key = ObjectKey.of(object);
        if (object.kind() == Kind.COLUMN
                && change.before().properties().containsKey("identity")
                && !object.properties().containsKey("identity")) {
            // dropping an identity drops its sequence, whose name a new serial sequence may take: a
            // step of its own, before that sequence is created and before the rest of the column's changes
            Step drop = graph.add(Action.DROP, object);
            drop.sql(Sql.alterColumn(object) + " DROP IDENTITY");
            graph.addIdentityDrop(drop);
        }
        Step step = graph.add(Action.ALTER, object);
        step.after.addAll(
                graph.identityDrops().stream().filter(d -> d.key.equals(key)).toList());
        if (plan.hasDefaultAround(key)) {
            // its default no longer calls the old function by then: the function need not wait for it
            graph.forgetConsumer(key, step);
        }
        String name = Sql.name(object);
        if (object.kind() == Kind.TYPE && object.label().equals("domain")) {
            alterDomain(step, change);
            return;
        }
        for (PropertyChange property : change.properties()) {
            String value = property.after();
            switch (property.name()) {
                case "comment" -> step.sql(Sql.comment(object, value));
                case "version" ->
                    step.sql(
                            "ALTER EXTENSION " + Identifiers.quote(object.name()) + " UPDATE TO " + Sql.literal(value));
                case "schema" ->
                    step.sql("ALTER EXTENSION " + Identifiers.quote(object.name()) + " SET SCHEMA "
                            + Identifiers.quote(value));
                case "options" ->
                    step.sql(
                            object.kind() == Kind.SEQUENCE
                                    ? "ALTER SEQUENCE " + name + " " + value
                                    : "ALTER TABLE " + name
                                            + (value == null
                                                    ? " RESET (" + Sql.optionNames(property.before()) + ")"
                                                    : " SET (" + value + ")"));
                case "owned by" -> {} // see ownership()
                case "unlogged" -> step.sql("ALTER TABLE " + name + (value == null ? " SET LOGGED" : " SET UNLOGGED"));
                case "of" -> typedTable(object, property);
                case "row level security" ->
                    step.sql("ALTER TABLE " + name + (value == null ? " DISABLE" : " ENABLE") + " ROW LEVEL SECURITY");
                case "forced row level security" ->
                    step.sql("ALTER TABLE " + name + (value == null ? " NO FORCE" : " FORCE") + " ROW LEVEL SECURITY");
                case "definition" -> {
                    if (object.label().equals("composite")) {
                        compositeAttributes(step, change);
                    } else {
                        enumLabels(step, change);
                    }
                }
                case "body" -> step.sql(value.stripTrailing());
                case "state" -> step.sql(Sql.triggerState(object));
                case "granted" -> {
                    step.sql(Sql.revokeAll(object));
                    Sql.grants(object).forEach(step::sql);
                }
                default -> {
                    if (object.kind() == Kind.COLUMN) {
                        if (!plan.isTypeRetyped(key)
                                || ChangePlan.changes(change, "not null", "comment", "identity", "identity options")) {
                            alterColumn(step, change);
                        }
                        return;
                    }
                    throw new IllegalStateException("no way to alter " + property.name() + " of " + key);
                }
            }
        }
    }

    /**
     * A table that becomes a typed table of a composite type, or stops being one (or changes its
     * type), each a step apart from the table's other changes. {@code NOT OF} frees the columns,
     * so it runs before the steps on them (and before its type may be dropped); {@code OF} needs
     * the columns to be the type's attributes already, so it runs after the steps on them and
     * after what the table needs in the target.
     */
    private void typedTable(DbObject table, PropertyChange property) {
        ObjectKey key = ObjectKey.of(table);
        String name = Sql.name(table);
        int rank = StepGraph.rank(Action.ALTER, table);
        if (property.before() != null) {
            Step notOf = graph.detached(Action.ALTER, key, rank, false);
            notOf.sql("ALTER TABLE " + name + " NOT OF");
            graph.consumes(key, notOf);
            notOfSteps.add(notOf);
        }
        if (property.after() != null) {
            Step of = graph.detached(Action.ALTER, key, rank, false);
            of.sql("ALTER TABLE " + name + " OF " + property.after());
            ofSteps.add(of);
        }
    }

    /** Orders the {@code NOT OF} and {@code OF} steps around the steps on their table's columns. */
    private void orderTypedTables() {
        for (Step notOf : notOfSteps) {
            for (Step other : graph.steps()) {
                if (other.key.kind() == Kind.COLUMN && other.key.tableKey().equals(notOf.key)) {
                    other.after.add(notOf);
                }
            }
        }
        for (Step of : ofSteps) {
            of.after.addAll(
                    notOfSteps.stream().filter(s -> s.key.equals(of.key)).toList());
            of.after.addAll(graph.producing(of.key));
            for (ObjectKey needed : ChangePlan.dependencies(plan.to(), of.key)) {
                of.after.addAll(graph.producing(needed));
            }
            for (Step other : graph.steps()) {
                if (other.key.kind() == Kind.COLUMN && other.key.tableKey().equals(of.key)) {
                    of.after.add(other);
                }
            }
        }
    }

    /**
     * A domain whose base type stays: checks that go or change are dropped first, then the
     * default and NOT NULL are set, then new and changed checks are added (and validated against
     * the columns' values by PostgreSQL).
     */
    private void alterDomain(Step step, Change change) {
        String alter = "ALTER DOMAIN " + Sql.name(change.after());
        Map<String, String> before = TypeDefinitions.domainConstraints(change.before());
        Map<String, String> after = TypeDefinitions.domainConstraints(change.after());
        before.forEach((constraint, definition) -> {
            if (!definition.equals(after.get(constraint))) {
                step.sql(alter + " DROP CONSTRAINT " + Identifiers.quote(constraint));
            }
        });
        for (PropertyChange property : change.properties()) {
            switch (property.name()) {
                case "default" ->
                    step.sql(alter + (property.after() == null ? " DROP DEFAULT" : " SET DEFAULT " + property.after()));
                case "not null" -> step.sql(alter + (property.after() == null ? " DROP NOT NULL" : " SET NOT NULL"));
                case "comment" -> step.sql(Sql.comment(change.after(), property.after()));
                default -> {}
            }
        }
        after.forEach((constraint, definition) -> {
            if (!definition.equals(before.get(constraint))) {
                step.sql(alter + " ADD CONSTRAINT " + Identifiers.quote(constraint) + " " + definition);
            }
        });
    }

    /** Column changes in the order PostgreSQL accepts them. */
    private void alterColumn(Step step, Change change) {
        DbObject column = change.after();
        ObjectKey key = ObjectKey.of(column);
        Map<String, String> before = change.before().properties();
        Map<String, String> after = column.properties();
        String alter = Sql.alterColumn(column);
        boolean retype = ChangePlan.changes(change, "type", "collation") && !plan.isTypeRetyped(key);
        boolean defaultChanges =
                !Objects.equals(before.get("default"), after.get("default")) && !plan.isTypeRetyped(key);
        boolean defaultElsewhere = plan.hasDefaultAround(key);
        if (before.containsKey("default") && (defaultChanges || retype) && !defaultElsewhere) {
            step.sql(alter + " DROP DEFAULT");
        }
        if (before.containsKey("generated") && !after.containsKey("generated")) {
            step.sql(alter + " DROP EXPRESSION");
        }
        if (retype) {
            String type =
                    after.get("type") + (after.containsKey("collation") ? " COLLATE " + after.get("collation") : "");
            // PostgreSQL has no cast from an enum to another type but text: through text, then (#16)
            boolean enums = plan.isEnum(before.get("type")) || plan.isEnum(after.get("type"));
            boolean toText =
                    plan.isEnum(before.get("type")) && after.get("type").matches("text|character varying.*");
            step.sql(
                    alter + " TYPE " + type + " USING " + Identifiers.quote(column.name())
                            + (enums && !toText ? "::" + (after.get("type").endsWith("[]") ? "text[]" : "text") : "")
                            + "::" + after.get("type"),
                    ChangePlan.narrowing(before.get("type"), after.get("type")) && !toText
                            ? "changes the type of column "
                                    + column.displayName() + " from " + before.get("type") + " to " + after.get("type")
                                    + " (data loss if values do not fit)"
                            : null);
        }
        if (before.containsKey("generated")
                && after.containsKey("generated")
                && !before.get("generated").equals(after.get("generated"))) {
            step.sql(alter + " SET EXPRESSION AS (" + after.get("generated") + ")");
        }
        if (!Objects.equals(before.get("not null"), after.get("not null")) && !after.containsKey("identity")) {
            step.sql(alter + (after.containsKey("not null") ? " SET NOT NULL" : " DROP NOT NULL"));
        }
        if (after.containsKey("identity")) {
            if (!before.containsKey("not null")) {
                step.sql(alter + " SET NOT NULL");
            }
            String generated = after.get("identity").equals("always") ? "ALWAYS" : "BY DEFAULT";
            if (!before.containsKey("identity")) {
                step.sql(alter + " ADD GENERATED " + generated + " AS IDENTITY" + Sql.identityOptions(column));
                if (Sql.nextvalSequence(before.get("default")) != null) {
                    // a sequence that becomes an identity: the new sequence goes on from the rows (#16);
                    // pg_get_serial_sequence takes the column's name as it is, unquoted
                    step.sql(Sql.setvalFromRows(
                            column,
                            "pg_catalog.pg_get_serial_sequence(" + Sql.literal(Sql.table(column)) + ", "
                                    + Sql.literal(column.name()) + ")"));
                }
            } else {
                if (!before.get("identity").equals(after.get("identity"))) {
                    step.sql(alter + " SET GENERATED " + generated);
                }
                if (!Objects.equals(before.get("identity options"), after.get("identity options"))) {
                    step.sql(alter + Sql.identitySequence(after.get("identity options")));
                }
            }
        }
        if (after.containsKey("default") && (defaultChanges || retype) && !defaultElsewhere) {
            step.sql(alter + " SET DEFAULT " + after.get("default"));
            String sequence = Sql.nextvalSequence(after.get("default"));
            if (before.containsKey("identity") && sequence != null) {
                // an identity that becomes a sequence: the sequence goes on from the rows (#16)
                step.sql(Sql.setvalFromRows(column, Sql.literal(sequence)));
            }
        }
        if (!Objects.equals(before.get("comment"), after.get("comment"))) {
            step.sql(Sql.comment(column, after.get("comment")));
        }
    }

    /** New enum labels, each placed where the target has it. */
    private static void enumLabels(Step step, Change change) {
        List<String> before = TypeDefinitions.labels(change.before());
        List<String> after = TypeDefinitions.labels(change.after());
        for (int i = 0; i < after.size(); i++) {
            String label = after.get(i);
            if (!before.contains(label)) {
                // the label before it exists by now (old, or added just above); at the front, before the first old one
                String place =
                        i > 0 ? " AFTER " + after.get(i - 1) : before.isEmpty() ? "" : " BEFORE " + before.get(0);
                step.sql("ALTER TYPE " + Sql.name(change.after()) + " ADD VALUE " + label + place);
            }
        }
    }

    /**
     * The refusal of a composite type's new attributes while typed tables use it: PostgreSQL
     * changes them only with {@code CASCADE}, which changes the tables' columns too, and the
     * script does not do that; {@code null} when no typed table uses it.
     */
    private String typedTablesWarning(DbObject composite) {
        List<String> tables = plan.typedTablesOf(composite);
        return tables.isEmpty()
                ? null
                : "changes the attributes of composite type " + composite.displayName() + ", of which "
                        + String.join(", ", tables) + (tables.size() == 1 ? " is a typed table" : " are typed tables")
                        + ": not supported (PostgreSQL refuses it without CASCADE, which changes those tables' "
                        + "columns); change them by hand";
    }

    /** Attributes dropped, retyped, then added at the end, as {@link ChangePlan} allows in place. */
    private void compositeAttributes(Step step, Change change) {
        Map<String, String> before = TypeDefinitions.attributes(change.before());
        Map<String, String> after = TypeDefinitions.attributes(change.after());
        String alter = "ALTER TYPE " + Sql.name(change.after());
        boolean usedByColumns = plan.usedByColumns(change.before());
        String typed = typedTablesWarning(change.before());
        before.forEach((attribute, type) -> {
            if (!after.containsKey(attribute)) {
                step.sql(
                        alter + " DROP ATTRIBUTE " + attribute,
                        typed != null
                                ? typed
                                : usedByColumns
                                        ? "drops attribute " + attribute + " of "
                                                + change.after().displayName()
                                                + " and its values in the columns of that type (data loss)"
                                        : null);
            }
        });
        before.forEach((attribute, type) -> {
            if (after.containsKey(attribute) && !after.get(attribute).equals(type)) {
                step.sql(alter + " ALTER ATTRIBUTE " + attribute + " TYPE " + after.get(attribute), typed);
            }
        });
        after.forEach((attribute, type) -> {
            if (!before.containsKey(attribute)) {
                step.sql(alter + " ADD ATTRIBUTE " + attribute + " " + type, typed);
            }
        });
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
            compositeAttributes(before, create);
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

    /**
     * The attributes of composite types that are of a recreated domain (or arrays of it) are
     * retyped to the new one ({@code ALTER TYPE ... ALTER ATTRIBUTE}), which PostgreSQL refuses
     * while a column uses the composite type: the statement says so.
     */
    private void compositeAttributes(DbObject domain, Step create) {
        String name = Sql.name(domain);
        for (ObjectKey key : plan.compositesOver(ObjectKey.of(domain))) {
            DbObject composite = plan.target(key);
            Step step = graph.add(Action.ALTER, composite);
            step.after.add(create);
            boolean usedByColumns = plan.usedByColumns(plan.source(key));
            TypeDefinitions.attributes(composite).forEach((attribute, type) -> {
                if (type.equals(name) || type.startsWith(name + "[")) {
                    step.sql(
                            "ALTER TYPE " + Sql.name(composite) + " ALTER ATTRIBUTE " + attribute + " TYPE " + type,
                            usedByColumns
                                    ? "retypes attribute " + attribute + " of composite type "
                                            + composite.displayName() + " to the recreated domain "
                                            + domain.displayName() + ": not supported while columns use "
                                            + composite.displayName() + " (PostgreSQL refuses it, and refuses "
                                            + "to drop the old domain); migrate those columns by hand"
                                    : null);
                }
            });
        }
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
            return ChangePlan.narrowing(beforeBase, afterBase)
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
                : "removes label" + (removed.size() > 1 ? "s " : " ") + String.join(", ", removed)
                        + " of " + before.displayName() + ": rows holding " + (removed.size() > 1 ? "them" : "it")
                        + " make this fail; update them to another label first, or delete them (data loss)";
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
