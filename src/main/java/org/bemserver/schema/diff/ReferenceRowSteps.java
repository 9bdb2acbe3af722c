package org.bemserver.schema.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.catalog.TableRows;
import org.bemserver.schema.diff.Step.Action;

/**
 * The reference rows: per table a step of deletes (children before parents) and a step of
 * updates, inserts and sequence positions (parents before children), both placed before the
 * constraints that check them and after the columns they fill.
 */
final class ReferenceRowSteps {

    /** Among ready steps, deletes come before every drop ({@link StepGraph#rank}: 10 and up). */
    private static final int DELETES_RANK = 9;
    /** Among ready steps, upserts come after columns (46) and before constraints (48). */
    private static final int UPSERTS_RANK = 47;

    private final ChangePlan plan;
    private final StepGraph graph;

    private ReferenceRowSteps(ChangePlan plan, StepGraph graph) {
        this.plan = plan;
        this.graph = graph;
    }

    /** Adds the steps that write the reference rows. */
    static void write(ChangePlan plan, StepGraph graph) {
        new ReferenceRowSteps(plan, graph).write();
    }

    /** Adds the edges of the reference-row steps, once every other step is linked. */
    static void link(ChangePlan plan, StepGraph graph) {
        new ReferenceRowSteps(plan, graph).link();
    }

    private void write() {
        for (RowsChange change : plan.diff().rows()) {
            TableRows before = plan.from().rows().get(change.table());
            TableRows after = plan.to().rows().get(change.table());
            if (after == null) {
                continue; // the table goes, its rows with it
            }
            String target = Identifiers.qualified(after.schema(), after.name());
            Map<String, List<String>> old = before == null ? Map.of() : before.rows();
            Step deletes = rowStep(Action.ROWS_DELETE, after);
            old.forEach((key, values) -> {
                if (!after.rows().containsKey(key)) {
                    deletes.sql(
                            "DELETE FROM " + target + " WHERE " + where(before, values),
                            "deletes the row " + TableRows.literal(values) + " of " + after.table() + " (data loss)");
                }
            });
            Step upserts = rowStep(Action.ROWS, after);
            List<String> writable = writableColumns(after);
            after.rows().forEach((key, values) -> {
                List<String> was = old.get(key);
                if (was != null) {
                    Map<String, String> oldRow = before.byColumn(was);
                    Map<String, String> newRow = after.byColumn(values);
                    List<String> sets = new ArrayList<>();
                    for (String column : writable) {
                        if (!Objects.equals(oldRow.get(column), newRow.get(column))) {
                            sets.add(Identifiers.quote(column) + " = " + newRow.get(column));
                        }
                    }
                    if (!sets.isEmpty()) {
                        upserts.sql("UPDATE " + target + " SET " + String.join(", ", sets) + " WHERE "
                                + where(before, was));
                    }
                } else {
                    Map<String, String> row = after.byColumn(values);
                    upserts.sql("INSERT INTO " + target + " ("
                            + String.join(
                                    ", ",
                                    writable.stream().map(Identifiers::quote).toList()) + ")"
                            + (hasIdentityAlways(after) ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES ("
                            + String.join(", ", writable.stream().map(row::get).toList()) + ")");
                }
            });
            after.sequences().forEach((sequence, last) -> {
                Long was = before == null ? null : before.sequences().get(sequence);
                if (before == null || !before.sequences().containsKey(sequence) || !Objects.equals(was, last)) {
                    upserts.sql(
                            last == null
                                    ? "SELECT pg_catalog.setval(" + Sql.literal(sequence) + ", 1, false)"
                                    : "SELECT pg_catalog.setval(" + Sql.literal(sequence) + ", " + last + ", true)");
                }
            });
        }
        graph.removeIf(step -> isRows(step) && step.statements.isEmpty());
    }

    private Step rowStep(Action action, TableRows rows) {
        return graph.detached(
                action,
                ObjectKey.table(rows.schema(), rows.name()),
                action == Action.ROWS_DELETE ? DELETES_RANK : UPSERTS_RANK,
                false);
    }

    private static boolean isRows(Step step) {
        return step.action == Action.ROWS || step.action == Action.ROWS_DELETE;
    }

    /** The columns a row statement may set: generated columns are computed by PostgreSQL. */
    private List<String> writableColumns(TableRows rows) {
        return rows.columns().stream()
                .filter(column -> {
                    DbObject object = plan.target(new ObjectKey(Kind.COLUMN, rows.schema(), rows.name(), column));
                    return object == null || !object.properties().containsKey("generated");
                })
                .toList();
    }

    private boolean hasIdentityAlways(TableRows rows) {
        return rows.columns().stream().anyMatch(column -> {
            DbObject object = plan.target(new ObjectKey(Kind.COLUMN, rows.schema(), rows.name(), column));
            return object != null && "always".equals(object.properties().get("identity"));
        });
    }

    private static String where(TableRows table, List<String> values) {
        List<String> conditions = new ArrayList<>();
        List<String> columns = table.keyColumns().isEmpty() ? table.columns() : table.keyColumns();
        Map<String, String> row = table.byColumn(values);
        for (String column : columns) {
            String value = row.get(column);
            conditions.add(Identifiers.quote(column) + (value.equals("NULL") ? " IS NULL" : " = " + value));
        }
        return String.join(" AND ", conditions);
    }

    private void link() {
        Map<ObjectKey, Step> deletes = new HashMap<>();
        Map<ObjectKey, Step> upserts = new HashMap<>();
        for (Step step : graph.steps()) {
            if (step.action == Action.ROWS_DELETE) {
                deletes.put(step.key, step);
            } else if (step.action == Action.ROWS) {
                upserts.put(step.key, step);
            }
        }
        upserts.forEach((table, upsert) -> linkUpsert(table, upsert, deletes, upserts));
        deletes.forEach((table, delete) -> {
            // once no dropped foreign key points at the rows; children's rows first
            for (Step other : graph.steps()) {
                if (other.action == Action.DROP
                        && other.key.kind() == Kind.CONSTRAINT
                        && referencesTable(plan.from(), other.key, table)) {
                    delete.after.add(other);
                }
            }
            deletes.forEach((child, childDeletes) -> {
                if (childDeletes != delete
                        && referencedTables(plan.from(), child).contains(table)) {
                    delete.after.add(childDeletes);
                }
            });
        });
    }

    private void linkUpsert(ObjectKey table, Step upsert, Map<ObjectKey, Step> deletes, Map<ObjectKey, Step> upserts) {
        if (deletes.containsKey(table)) {
            upsert.after.add(deletes.get(table));
        }
        // after the table and its columns take their final shape
        for (ObjectKey key : ownedKeys(plan.to(), table)) {
            for (Step other : graph.producing(key)) {
                if (!(other.action == Action.ALTER && other.setsNotNull)) {
                    upsert.after.add(other);
                }
            }
        }
        for (Step other : graph.steps()) {
            // constraints of the table, and foreign keys into it, check the final rows
            if (other.action == Action.CREATE
                    && other.key.kind() == Kind.CONSTRAINT
                    && (other.key.belongsTo(table) || referencesTable(plan.to(), other.key, table))) {
                other.after.add(upsert);
            }
            if (other.setsNotNull && other.key.belongsTo(table)) {
                other.after.add(upsert);
            }
        }
        // parents' rows before children's
        for (ObjectKey parent : referencedTables(plan.to(), table)) {
            Step parentRows = upserts.get(parent);
            if (parentRows != null && parentRows != upsert) {
                upsert.after.add(parentRows);
            }
        }
    }

    /** The keys of a table and of its columns. */
    private static List<ObjectKey> ownedKeys(Snapshot snapshot, ObjectKey tableKey) {
        List<ObjectKey> keys = new ArrayList<>(List.of(tableKey));
        DbObject table = snapshot.objects().get(tableKey.toString());
        if (table != null) {
            ChangePlan.columnsOf(snapshot, table).forEach(column -> keys.add(ObjectKey.of(column)));
        }
        return keys;
    }

    /** Whether a foreign key refers to the table. */
    private static boolean referencesTable(Snapshot snapshot, ObjectKey constraint, ObjectKey table) {
        return !constraint.belongsTo(table)
                && ChangePlan.dependencies(snapshot, constraint).stream()
                        .anyMatch(key -> key.belongsTo(table) || key.equals(table));
    }

    /** The tables a table's foreign keys refer to. */
    private static Set<ObjectKey> referencedTables(Snapshot snapshot, ObjectKey table) {
        Set<ObjectKey> referenced = new TreeSet<>();
        for (DbObject constraint : snapshot.all(Kind.CONSTRAINT)) {
            if (constraint.label().equals("foreign key")
                    && ObjectKey.of(constraint).belongsTo(table)) {
                for (ObjectKey key : ChangePlan.dependencies(snapshot, ObjectKey.of(constraint))) {
                    if (key.table() != null && !key.belongsTo(table)) {
                        referenced.add(key.tableKey());
                    }
                }
            }
        }
        return referenced;
    }
}
