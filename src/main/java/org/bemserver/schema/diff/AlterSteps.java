package org.bemserver.schema.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;
import org.bemserver.schema.diff.Step.Action;

/**
 * Writes the steps that alter a changed object in place, as {@link ChangePlan} left it to be
 * altered rather than recreated: a column's type, default, identity and NOT NULL in the order
 * PostgreSQL accepts them, a domain's checks, an enum's new labels, a composite type's
 * attributes (and those retyped to a recreated domain), a table that becomes a typed table or
 * stops being one, and the other properties one {@code ALTER} statement each. {@link SchemaSteps}
 * calls it for each such change, in the order of the diff.
 */
final class AlterSteps {

    private final ChangePlan plan;
    private final StepGraph graph;
    /** The {@code ALTER TABLE ... NOT OF} and {@code OF} steps, ordered around their columns' steps at the end. */
    private final List<Step> notOfSteps = new ArrayList<>();

    private final List<Step> ofSteps = new ArrayList<>();
    /** The steps of composite types altered with {@code CASCADE}, with the typed tables' columns they change. */
    private final Map<Step, List<ObjectKey>> cascadeSteps = new LinkedHashMap<>();

    AlterSteps(ChangePlan plan, StepGraph graph) {
        this.plan = plan;
        this.graph = graph;
    }

    /**
     * The steps of one changed object that stays: its {@code ALTER} step, after a {@code DROP
     * IDENTITY} step when its identity goes.
     */
    void write(Change change) {
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
                case "owned by" -> {} // see SchemaSteps.ownership()
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
                                || ChangeRules.changes(change, "not null", "comment", "identity", "identity options")) {
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

    /**
     * Orders the {@code NOT OF} and {@code OF} steps around the steps on their table's columns, and
     * the {@code ALTER TYPE ... CASCADE} steps around the steps on the columns they change: after
     * the tables that stop being typed tables of the type have done so (their own steps change
     * their columns), after the drops of what uses the columns it drops or retypes, and after the
     * defaults set aside for a retype; before the options of those columns are set.
     */
    void orderTypedTables() {
        cascadeSteps.forEach((step, columns) -> {
            String type = Identifiers.qualified(step.key.schema(), step.key.name());
            for (Step notOf : notOfSteps) {
                if (type.equals(plan.source(notOf.key).properties().get("of"))) {
                    step.after.add(notOf);
                }
            }
            for (ObjectKey column : columns) {
                for (ObjectKey dependent : plan.dependents(column)) {
                    graph.consuming(dependent).stream()
                            .filter(drop -> drop.action == Action.DROP)
                            .forEach(step.after::add);
                }
            }
            for (Step other : graph.steps()) {
                if (other != step && columns.contains(other.key)) {
                    if (other.action == Action.DROP) {
                        step.after.add(other);
                    } else {
                        other.after.add(step);
                    }
                }
            }
        });
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
        // a typed table's column is retyped with its type's attribute (ALTER TYPE ... CASCADE)
        boolean cascadedRetype = ChangeRules.changes(change, "type", "collation")
                && plan.typedTables().isCascaded(key);
        boolean retype =
                ChangeRules.changes(change, "type", "collation") && !plan.isTypeRetyped(key) && !cascadedRetype;
        boolean defaultChanges =
                !Objects.equals(before.get("default"), after.get("default")) && !plan.isTypeRetyped(key);
        boolean defaultElsewhere = plan.hasDefaultAround(key);
        if (before.containsKey("default") && (defaultChanges || retype || cascadedRetype) && !defaultElsewhere) {
            if (cascadedRetype) {
                // before the ALTER TYPE, which would have to cast it (orderTypedTables)
                graph.add(Action.DROP, change.before()).sql(alter + " DROP DEFAULT");
            } else {
                step.sql(alter + " DROP DEFAULT");
            }
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
                    ChangeRules.narrowing(before.get("type"), after.get("type")) && !toText
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
        if (after.containsKey("default") && (defaultChanges || retype || cascadedRetype) && !defaultElsewhere) {
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
     * The refusal of a composite type recreated (dropped and created again) while typed tables
     * stay typed tables of it: PostgreSQL refuses to drop it, and neither {@code ALTER TYPE} nor
     * {@code ALTER TABLE} reorders attributes or columns; {@code null} when no typed table stays of it.
     */
    String typedTablesRefusal(DbObject composite) {
        List<String> tables = plan.typedTables().cascadeTables(composite).stream()
                .map(DbObject::displayName)
                .toList();
        return tables.isEmpty()
                ? null
                : MigrationScript.knownLimit("recreates composite type " + composite.displayName() + ", of which "
                        + String.join(", ", tables) + (tables.size() == 1 ? " is a typed table" : " are typed tables")
                        + ": PostgreSQL refuses to drop a type its typed tables use, and ALTER TYPE cannot make "
                        + "this change in place (attributes in a new order, or retyped while columns use the type); "
                        + "recreate those tables by hand (new tables OF the new type, their rows copied)");
    }

    /**
     * Attributes dropped, retyped, then added at the end, as {@link ChangeRules} allows in place.
     * While typed tables use the type, each statement takes {@code CASCADE}, which changes their
     * columns (and those of the tables under them) the same way: the steps of those columns
     * leave that out ({@link TypedTables#isCascaded}), and {@link #orderTypedTables} runs them
     * around this one.
     */
    private void compositeAttributes(Step step, Change change) {
        Map<String, String> before = TypeDefinitions.attributes(change.before());
        Map<String, String> after = TypeDefinitions.attributes(change.after());
        DbObject type = change.after();
        String alter = "ALTER TYPE " + Sql.name(type);
        // CASCADE also reaches the typed tables that go or stop being typed: harmless, and never refused
        String cascade = plan.typedTables().of(change.before()).isEmpty() ? "" : " CASCADE";
        boolean usedByColumns = plan.usedByColumns(change.before());
        List<ObjectKey> cascaded = plan.typedTables().cascadedColumns(ObjectKey.of(type));
        if (!cascaded.isEmpty()) {
            cascadeSteps.put(step, cascaded);
            for (ObjectKey column : cascaded) {
                if (plan.target(column) != null) {
                    graph.produces(column, step);
                }
                if (plan.source(column) != null) {
                    graph.consumes(column, step);
                }
            }
        }
        before.forEach((attribute, attributeType) -> {
            if (!after.containsKey(attribute)) {
                String columns = columnsOf(cascaded, attribute);
                step.sql(
                        alter + " DROP ATTRIBUTE " + attribute + cascade,
                        columns.isEmpty() && !usedByColumns
                                ? null
                                : "drops attribute " + attribute + " of " + type.displayName()
                                        + (columns.isEmpty() ? "" : ", and with it " + columns + " and its values")
                                        + (usedByColumns ? " and its values in the columns of that type" : "")
                                        + " (data loss)");
            }
        });
        before.forEach((attribute, attributeType) -> {
            String newType = after.get(attribute);
            if (newType != null && !newType.equals(attributeType)) {
                String columns = columnsOf(cascaded, attribute);
                step.sql(
                        alter + " ALTER ATTRIBUTE " + attribute + " TYPE " + newType + cascade,
                        !columns.isEmpty() && ChangeRules.narrowing(attributeType, newType)
                                ? "changes the type of attribute " + attribute + " of " + type.displayName()
                                        + " from " + attributeType + " to " + newType + ", and of " + columns
                                        + " with it (data loss if values do not fit)"
                                : null);
            }
        });
        after.forEach((attribute, attributeType) -> {
            if (!before.containsKey(attribute)) {
                step.sql(alter + " ADD ATTRIBUTE " + attribute + " " + attributeType + cascade);
            }
        });
    }

    /** {@code column public.people.name} or {@code columns public.people.name, public.staff.name}, or nothing. */
    private static String columnsOf(List<ObjectKey> cascaded, String attribute) {
        List<String> columns = cascaded.stream()
                .filter(column -> Identifiers.quote(column.name()).equals(attribute))
                .map(column -> column.schema() + "." + column.table() + "." + column.name())
                .toList();
        return columns.isEmpty() ? "" : (columns.size() == 1 ? "column " : "columns ") + String.join(", ", columns);
    }

    /**
     * A column that {@code ALTER TYPE ... ADD ATTRIBUTE ... CASCADE} added to a typed table,
     * without options: its default, which the rows it already has take (those of the tables under
     * it too) as {@code ADD COLUMN} would give it to them, its NOT NULL, identity and comment;
     * {@code null} when it has none.
     */
    Step cascadedColumn(DbObject column) {
        Map<String, String> p = column.properties();
        if (!p.containsKey("default")
                && !p.containsKey("not null")
                && !p.containsKey("identity")
                && !p.containsKey("comment")) {
            return null;
        }
        String alter = Sql.alterColumn(column);
        Step step = graph.add(Action.CREATE, column);
        if (p.containsKey("default")) {
            step.sql(alter + " SET DEFAULT " + p.get("default"));
            step.sql("UPDATE " + Sql.table(column) + " SET " + Identifiers.quote(column.name()) + " = DEFAULT");
        }
        if (p.containsKey("not null") || p.containsKey("identity")) {
            if (plan.fillsFromRows(column)) {
                // set NOT NULL once the table's reference rows fill the column
                Step notNull = graph.add(Action.ALTER, column);
                notNull.setsNotNull = true;
                notNull.after.add(step);
                notNull.sql(alter + " SET NOT NULL");
            } else {
                step.sql(alter + " SET NOT NULL");
            }
        }
        if (p.containsKey("identity")) {
            step.sql(alter + " ADD GENERATED " + (p.get("identity").equals("always") ? "ALWAYS" : "BY DEFAULT")
                    + " AS IDENTITY" + Sql.identityOptions(column));
        }
        if (p.containsKey("comment")) {
            step.sql(Sql.comment(column, p.get("comment")));
        }
        return step;
    }

    /**
     * The attributes of composite types that are of a recreated domain (or arrays of it) are
     * retyped to the new one ({@code ALTER TYPE ... ALTER ATTRIBUTE}), which PostgreSQL refuses
     * while a column uses the composite type: the statement says so.
     */
    void retypeAttributesOver(DbObject domain, Step create) {
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
                                    ? MigrationScript.knownLimit("retypes attribute " + attribute
                                            + " of composite type " + composite.displayName()
                                            + " to the recreated domain " + domain.displayName()
                                            + ": PostgreSQL refuses it while columns use " + composite.displayName()
                                            + ", and refuses to drop the old domain; migrate those columns by hand")
                                    : null);
                }
            });
        }
    }
}
