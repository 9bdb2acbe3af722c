package org.bemserver.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.bemserver.bench.Schema.Column;
import org.bemserver.bench.Schema.Constraint;
import org.bemserver.bench.Schema.EnumType;
import org.bemserver.bench.Schema.Index;
import org.bemserver.bench.Schema.Table;
import org.bemserver.bench.Schema.View;

/**
 * The history of a growing application schema: each revision one change drawn with fixed
 * weights, written as a {@code V} script and the {@code U} script that exactly undoes it (every
 * object it drops, it recreates under the same names).
 */
final class HistoryGenerator {

    /** Every kind a history holds; a short history is steered so that each occurs at least once. */
    static final Set<ChangeKind> KINDS = EnumSet.complementOf(EnumSet.of(ChangeKind.CREATE_SCHEMA));

    /**
     * Relative weights; at 1000 revisions the head holds about 500 tables, 700 indexes and 120
     * views.
     */
    private static final Map<ChangeKind, Double> WEIGHTS = new EnumMap<>(ChangeKind.class);

    static {
        WEIGHTS.put(ChangeKind.CREATE_REFERENCE_TABLE, 0.02);
        WEIGHTS.put(ChangeKind.CREATE_TABLE, 0.53);
        WEIGHTS.put(ChangeKind.ADD_COLUMN, 0.07);
        WEIGHTS.put(ChangeKind.ADD_INDEX, 0.12);
        WEIGHTS.put(ChangeKind.CREATE_VIEW, 0.15);
        WEIGHTS.put(ChangeKind.CREATE_ENUM, 0.02);
        WEIGHTS.put(ChangeKind.INSERT_REFERENCE_ROWS, 0.03);
        WEIGHTS.put(ChangeKind.RENAME_COLUMN, 0.03);
        WEIGHTS.put(ChangeKind.RENAME_TABLE, 0.02);
        WEIGHTS.put(ChangeKind.DROP_INDEX, 0.02);
        WEIGHTS.put(ChangeKind.DROP_VIEW, 0.02);
        WEIGHTS.put(ChangeKind.DROP_COLUMN, 0.02);
        WEIGHTS.put(ChangeKind.DROP_TABLE, 0.02);
    }

    private static final SchemaBuilder.TableShape SHAPE = new SchemaBuilder.TableShape(2, 7, 0.6, 0.25, 0.5, 0.4, 0.6);

    /** One change: its kind, the words of its slug after the kind's, and its scripts. */
    private record Change(ChangeKind kind, String object, String up, String down) {}

    private final Schema schema = new Schema();
    private final SchemaBuilder builder;
    private final int revisions;
    private final int maxReferenceTables;

    private HistoryGenerator(int revisions, long seed) {
        this.builder = new SchemaBuilder(new Random(seed), schema);
        this.revisions = revisions;
        this.maxReferenceTables = Math.min(Names.REFERENCE_TOPICS.size(), 3 + revisions / 250);
    }

    static Corpus generate(int revisions, long seed) {
        return new HistoryGenerator(revisions, seed).run();
    }

    private Corpus run() {
        List<Revision> done = new ArrayList<>();
        Set<ChangeKind> seen = EnumSet.noneOf(ChangeKind.class);
        for (int number = 1; number <= revisions; number++) {
            Change change = null;
            if (number == 1) {
                change = attempt(ChangeKind.CREATE_REFERENCE_TABLE);
            }
            Set<ChangeKind> unseen = EnumSet.copyOf(KINDS);
            unseen.removeAll(seen);
            boolean late = revisions - number + 1 <= 2 * unseen.size();
            if (change == null && !unseen.isEmpty() && (late || (number > revisions / 4 && builder.chance(0.5)))) {
                for (ChangeKind kind : unseen) {
                    change = attempt(kind);
                    if (change != null) {
                        break;
                    }
                }
            }
            while (change == null) {
                change = attempt(draw(number));
            }
            seen.add(change.kind());
            done.add(new Revision(number, change.kind(), slug(change), change.up(), change.down()));
        }
        Corpus.Counts counts = new Corpus.Counts(
                schema.tables.size(),
                schema.indexCount(),
                schema.views.size(),
                schema.enums.size(),
                schema.referenceRowCount());
        return new Corpus(done, schema.model(), schema.referenceTables(), counts);
    }

    private ChangeKind draw(int number) {
        double total = 0;
        for (Map.Entry<ChangeKind, Double> weight : WEIGHTS.entrySet()) {
            total += weight(weight.getKey(), weight.getValue(), number);
        }
        double draw = builder.random.nextDouble() * total;
        for (Map.Entry<ChangeKind, Double> weight : WEIGHTS.entrySet()) {
            draw -= weight(weight.getKey(), weight.getValue(), number);
            if (draw < 0) {
                return weight.getKey();
            }
        }
        return ChangeKind.CREATE_TABLE;
    }

    /** Reference tables come early in a history: in its first fifth. */
    private double weight(ChangeKind kind, double weight, int number) {
        if (kind == ChangeKind.CREATE_REFERENCE_TABLE && number > Math.max(10, revisions / 5)) {
            return 0;
        }
        return weight;
    }

    /** The change of {@code kind}, applied to the schema, or {@code null} when the schema has nothing it fits. */
    private Change attempt(ChangeKind kind) {
        return switch (kind) {
            case CREATE_REFERENCE_TABLE -> createReferenceTable();
            case CREATE_TABLE -> createTable();
            case ADD_COLUMN -> addColumn();
            case ADD_INDEX -> addIndex();
            case CREATE_VIEW -> createView();
            case CREATE_ENUM -> createEnum();
            case INSERT_REFERENCE_ROWS -> insertReferenceRows();
            case RENAME_COLUMN -> renameColumn();
            case RENAME_TABLE -> renameTable();
            case DROP_INDEX -> dropIndex();
            case DROP_VIEW -> dropView();
            case DROP_COLUMN -> dropColumn();
            case DROP_TABLE -> dropTable();
            case CREATE_SCHEMA -> null;
        };
    }

    private Change createReferenceTable() {
        if (builder.referenceTables().size() >= maxReferenceTables) {
            return null;
        }
        Table table = builder.referenceTable();
        if (table == null) {
            return null;
        }
        schema.tables.add(table);
        return new Change(
                ChangeKind.CREATE_REFERENCE_TABLE,
                table.name,
                table.create(true) + table.insert(table.rows),
                "DROP TABLE " + table.name + ";\n");
    }

    private Change createTable() {
        Table table = builder.table(SHAPE);
        StringBuilder up = new StringBuilder(table.create(true));
        for (Constraint fk : table.foreignKeys()) {
            if (builder.chance(0.8)) {
                table.indexes.add(builder.index(table, fk.columns.get(0)));
            }
        }
        int extra = builder.chance(0.5) ? (builder.chance(0.3) ? 2 : 1) : 0;
        for (int i = 0; i < extra; i++) {
            Index index = builder.index(table);
            if (index != null) {
                table.indexes.add(index);
            }
        }
        table.indexes.forEach(index -> up.append(index.create()));
        schema.tables.add(table);
        return new Change(ChangeKind.CREATE_TABLE, table.name, up.toString(), "DROP TABLE " + table.name + ";\n");
    }

    private Change addColumn() {
        List<Table> tables = builder.ordinaryTables();
        if (tables.isEmpty()) {
            return null;
        }
        Table table = builder.pick(tables);
        Column column = builder.addedColumn(table);
        if (column == null) {
            return null;
        }
        String up = "ALTER TABLE " + table.name + " ADD COLUMN " + column.definition();
        table.columns.add(column);
        String check = SchemaBuilder.checkOf(column);
        if (check != null && builder.chance(0.3)) {
            Constraint constraint = Constraint.check(
                    builder.names.fresh("ck_" + table.name + "_" + column.name),
                    new Schema.Expression(check, List.of(column)));
            table.constraints.add(constraint);
            up += " " + constraint.definition();
        }
        return new Change(
                ChangeKind.ADD_COLUMN,
                table.name + "_" + column.name,
                up + ";\n",
                "ALTER TABLE " + table.name + " DROP COLUMN " + column.name + ";\n");
    }

    private Change addIndex() {
        List<Table> tables = builder.ordinaryTables();
        if (tables.isEmpty()) {
            return null;
        }
        Table table = builder.pick(tables);
        Index index = builder.index(table);
        if (index == null) {
            return null;
        }
        table.indexes.add(index);
        return new Change(ChangeKind.ADD_INDEX, index.name, index.create(), "DROP INDEX " + index.name + ";\n");
    }

    private Change createView() {
        List<Table> tables = builder.ordinaryTables().stream()
                .filter(t -> t.columns.size() > 1)
                .toList();
        if (tables.isEmpty()) {
            return null;
        }
        View view = builder.view(builder.pick(tables), builder.chance(0.7));
        schema.views.add(view);
        return new Change(ChangeKind.CREATE_VIEW, view.name, view.create(), "DROP VIEW " + view.name + ";\n");
    }

    private Change createEnum() {
        EnumType type = builder.enumType();
        schema.enums.add(type);
        builder.unusedEnums.add(type);
        return new Change(ChangeKind.CREATE_ENUM, type.name, type.create(), "DROP TYPE " + type.name + ";\n");
    }

    private Change insertReferenceRows() {
        List<Table> tables = builder.referenceTables();
        if (tables.isEmpty()) {
            return null;
        }
        Table table = builder.pick(tables);
        List<List<String>> rows = builder.rows(table, builder.between(1, 4));
        table.rows.addAll(rows);
        return new Change(
                ChangeKind.INSERT_REFERENCE_ROWS,
                table.name,
                table.insert(rows),
                "DELETE FROM " + table.name + " WHERE " + table.key.name + " IN ("
                        + String.join(", ", rows.stream().map(row -> row.get(0)).toList()) + ");\n");
    }

    private Change renameColumn() {
        List<Table> tables = builder.ordinaryTables().stream()
                .filter(t -> t.columns.size() > 1)
                .toList();
        if (tables.isEmpty()) {
            return null;
        }
        Table table = builder.pick(tables);
        Column column = builder.pick(table.columns.subList(1, table.columns.size()));
        // another name a column of its type has, or its own name with a word after it
        List<String> alike = Columns.ALL.stream()
                .filter(s -> s.types().contains(column.type) && table.column(s.name()) == null)
                .map(Columns.Spec::name)
                .toList();
        String newName = !alike.isEmpty() && builder.chance(0.5)
                ? builder.pick(alike)
                : Names.clip(column.name, Names.MAX - 8) + "_" + builder.pick(Names.RENAME_WORDS);
        if (table.column(newName) != null) {
            return null;
        }
        String oldName = column.name;
        column.name = newName;
        return new Change(
                ChangeKind.RENAME_COLUMN,
                table.name + "_" + oldName + "_to_" + newName,
                "ALTER TABLE " + table.name + " RENAME COLUMN " + oldName + " TO " + newName + ";\n",
                "ALTER TABLE " + table.name + " RENAME COLUMN " + newName + " TO " + oldName + ";\n");
    }

    private Change renameTable() {
        List<Table> tables = builder.ordinaryTables();
        if (tables.isEmpty()) {
            return null;
        }
        Table table = builder.pick(tables);
        String oldName = table.name;
        String oldSequence = table.sequence;
        String newName = builder.tableName(table.key.name);
        table.name = newName;
        StringBuilder up = new StringBuilder("ALTER TABLE " + oldName + " RENAME TO " + newName + ";\n");
        StringBuilder down = new StringBuilder();
        if (oldSequence != null) {
            table.sequence = newName + "_" + table.key.name + "_seq";
            up.append("ALTER SEQUENCE ")
                    .append(oldSequence)
                    .append(" RENAME TO ")
                    .append(table.sequence)
                    .append(";\n");
            down.append("ALTER SEQUENCE ")
                    .append(table.sequence)
                    .append(" RENAME TO ")
                    .append(oldSequence)
                    .append(";\n");
        }
        down.append("ALTER TABLE ")
                .append(newName)
                .append(" RENAME TO ")
                .append(oldName)
                .append(";\n");
        return new Change(ChangeKind.RENAME_TABLE, oldName + "_to_" + newName, up.toString(), down.toString());
    }

    private Change dropIndex() {
        List<Index> indexes =
                schema.tables.stream().flatMap(t -> t.indexes.stream()).toList();
        if (indexes.isEmpty()) {
            return null;
        }
        Index index = builder.pick(indexes);
        index.table.indexes.remove(index);
        return new Change(ChangeKind.DROP_INDEX, index.name, "DROP INDEX " + index.name + ";\n", index.create());
    }

    private Change dropView() {
        if (schema.views.isEmpty()) {
            return null;
        }
        View view = builder.pick(schema.views);
        schema.views.remove(view);
        return new Change(ChangeKind.DROP_VIEW, view.name, "DROP VIEW " + view.name + ";\n", view.create());
    }

    private Change dropColumn() {
        List<Column> columns = new ArrayList<>();
        List<Table> owners = new ArrayList<>();
        Set<Column> used = schema.usedColumns();
        for (Table table : builder.ordinaryTables()) {
            for (Column column : table.columns) {
                if (!used.contains(column)) {
                    columns.add(column);
                    owners.add(table);
                }
            }
        }
        if (columns.isEmpty()) {
            return null;
        }
        int drawn = builder.random.nextInt(columns.size());
        Column column = columns.get(drawn);
        Table table = owners.get(drawn);
        table.columns.remove(column);
        return new Change(
                ChangeKind.DROP_COLUMN,
                table.name + "_" + column.name,
                "ALTER TABLE " + table.name + " DROP COLUMN " + column.name + ";\n",
                "ALTER TABLE " + table.name + " ADD COLUMN " + column.definition() + ";\n");
    }

    /** Drops a table no other table references, and the views over it first (the undo recreates them after it). */
    private Change dropTable() {
        Set<Table> referenced = schema.referencedTables();
        List<Table> tables = builder.ordinaryTables().stream()
                .filter(t -> !referenced.contains(t))
                .toList();
        if (tables.isEmpty()) {
            return null;
        }
        Table table = builder.pick(tables);
        List<View> views = schema.viewsOn(table);
        StringBuilder up = new StringBuilder();
        StringBuilder down = new StringBuilder(table.create(true));
        table.indexes.forEach(index -> down.append(index.create()));
        for (View view : views) {
            up.append("DROP VIEW ").append(view.name).append(";\n");
            down.append(view.create());
        }
        up.append("DROP TABLE ").append(table.name).append(";\n");
        schema.views.removeAll(views);
        schema.tables.remove(table);
        return new Change(ChangeKind.DROP_TABLE, table.name, up.toString(), down.toString());
    }

    private static String slug(Change change) {
        String words = change.object().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return Names.clip(change.kind().slug() + "_" + words.replaceAll("^_+", ""), 100);
    }
}
