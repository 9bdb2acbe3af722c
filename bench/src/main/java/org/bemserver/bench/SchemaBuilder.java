package org.bemserver.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bemserver.bench.Schema.Column;
import org.bemserver.bench.Schema.Constraint;
import org.bemserver.bench.Schema.EnumType;
import org.bemserver.bench.Schema.Expression;
import org.bemserver.bench.Schema.Index;
import org.bemserver.bench.Schema.KeyKind;
import org.bemserver.bench.Schema.Table;
import org.bemserver.bench.Schema.View;
import org.bemserver.bench.Schema.ViewColumn;

/**
 * Draws new objects for a {@link Schema} (tables, columns, indexes, views, types, rows) from one
 * {@link Random}, naming each explicitly so that a script that drops it can recreate it identically.
 * The objects are not added to the schema: the caller does, once it has written the revision.
 */
final class SchemaBuilder {

    /** How a new table is drawn. */
    record TableShape(
            int minColumns,
            int maxColumns,
            double foreignKey,
            double referenceKey,
            double unique,
            double check,
            double enumColumn) {}

    final Random random;
    final Names names;
    final Schema schema;
    /** Enum types no column uses yet: the next enum-typed column takes the oldest. */
    final List<EnumType> unusedEnums = new ArrayList<>();

    SchemaBuilder(Random random, Schema schema) {
        this.random = random;
        this.names = new Names(random);
        this.schema = schema;
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** A free table name from the vocabulary (a numbered one when the draws keep colliding). */
    String tableName(String keyColumn) {
        String base = names.tableBase();
        for (int attempt = 0;
                attempt < 8 && !(names.isFree(base) && names.isFree(base + "_" + keyColumn + "_seq"));
                attempt++) {
            base = names.tableBase();
        }
        return names.table(base, keyColumn);
    }

    KeyKind keyKind() {
        int draw = random.nextInt(100);
        if (draw < 45) {
            return KeyKind.SERIAL;
        } else if (draw < 60) {
            return KeyKind.BIGSERIAL;
        } else if (draw < 80) {
            return KeyKind.IDENTITY_BY_DEFAULT;
        }
        return KeyKind.IDENTITY_ALWAYS;
    }

    List<Table> ordinaryTables() {
        return schema.tables.stream().filter(t -> !t.reference).toList();
    }

    List<Table> referenceTables() {
        return schema.tables.stream().filter(t -> t.reference).toList();
    }

    /** A new ordinary table with its constraints (not its indexes), drawn as {@code shape} says. */
    Table table(TableShape shape) {
        String name = tableName("id");
        KeyKind keyKind = keyKind();
        Table table =
                new Table(name, false, names.fresh("pk_" + name), new Column("id", keyKind.type, true, null, keyKind));
        int wanted = between(shape.minColumns(), shape.maxColumns());
        List<Table> parents = ordinaryTables();
        if (!parents.isEmpty() && chance(shape.foreignKey())) {
            foreignKey(table, pick(parents));
        }
        List<Table> references = referenceTables();
        if (!references.isEmpty() && chance(shape.referenceKey())) {
            foreignKey(table, pick(references));
        }
        if (chance(shape.enumColumn())) {
            Column column = enumColumn(table, false);
            if (column != null) {
                table.columns.add(column);
            }
        }
        List<Columns.Spec> specs = new ArrayList<>();
        while (table.columns.size() - 1 < wanted) {
            Columns.Spec spec = pick(Columns.ALL);
            if (table.column(spec.name()) != null) {
                continue;
            }
            specs.add(spec);
            table.columns.add(column(spec, false));
        }
        List<Columns.Spec> uniques = specs.stream().filter(Columns.Spec::unique).toList();
        if (!uniques.isEmpty() && chance(shape.unique())) {
            Column column = table.column(pick(uniques).name());
            table.constraints.add(Constraint.unique(names.fresh("uq_" + name + "_" + column.name), List.of(column)));
        }
        List<Columns.Spec> checks =
                specs.stream().filter(s -> s.check() != null).toList();
        if (!checks.isEmpty() && chance(shape.check())) {
            Columns.Spec spec = pick(checks);
            Column column = table.column(spec.name());
            table.constraints.add(Constraint.check(
                    names.fresh("ck_" + name + "_" + column.name), new Expression(spec.check(), List.of(column))));
        }
        return table;
    }

    /** Adds to {@code table} a column and a foreign key to {@code target}'s key. */
    Column foreignKey(Table table, Table target) {
        String base = target.reference ? target.name.substring("ref_".length()) : target.name;
        String columnName = Names.clip(base, Names.MAX - 5) + "_id";
        for (int i = 2; table.column(columnName) != null; i++) {
            columnName = Names.clip(base, Names.MAX - 8) + "_" + i + "_id";
        }
        boolean notNull = chance(0.5);
        Column column = new Column(columnName, target.key.key.type, notNull, null);
        table.columns.add(column);
        String onDelete = null;
        int draw = random.nextInt(4);
        if (draw == 1) {
            onDelete = "CASCADE";
        } else if (draw == 2) {
            onDelete = notNull ? "RESTRICT" : "SET NULL";
        }
        table.constraints.add(Constraint.foreignKey(
                names.fresh("fk_" + table.name + "_" + columnName),
                column,
                target,
                target.reference ? null : onDelete));
        return column;
    }

    /** A column of {@code spec}; an added column always gets a default. */
    Column column(Columns.Spec spec, boolean added) {
        String type = pick(spec.types());
        String defaultSql = spec.defaultSql();
        if (added && defaultSql == null) {
            defaultSql = Columns.defaultFor(type);
        }
        boolean notNull = chance(spec.notNull()) && (defaultSql != null || !added);
        return new Column(spec.name(), type, notNull, defaultSql);
    }

    /** A column of an enum type (the oldest unused one first), or {@code null} when none fits. */
    Column enumColumn(Table table, boolean added) {
        EnumType type = null;
        if (!unusedEnums.isEmpty()) {
            type = unusedEnums.get(0);
        } else if (!schema.enums.isEmpty() && chance(0.3)) {
            type = pick(schema.enums);
        }
        if (type == null || table.column(type.name) != null) {
            return null;
        }
        unusedEnums.remove(type);
        boolean withDefault = added || chance(0.6);
        String defaultSql = withDefault ? "'" + type.labels.get(0) + "'::" + type.name : null;
        return new Column(type.name, type.name, withDefault && chance(0.7), defaultSql);
    }

    /** A new column for an existing table, not yet added to it; {@code null} when the draw collides. */
    Column addedColumn(Table table) {
        if (chance(0.3)) {
            Column column = enumColumn(table, true);
            if (column != null) {
                return column;
            }
        }
        Columns.Spec spec = pick(Columns.ALL);
        return table.column(spec.name()) == null ? column(spec, true) : null;
    }

    /** The check {@code column} usually has, or {@code null}. */
    static String checkOf(Column column) {
        return Columns.ALL.stream()
                .filter(s -> s.name().equals(column.name) && s.types().contains(column.type))
                .map(Columns.Spec::check)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    /** An index on {@code column} (a foreign key's column). */
    Index index(Table table, Column column) {
        return new Index(names.fresh("ix_" + table.name + "_" + column.name), table, List.of(column), false, null);
    }

    /** An index on one or two columns, sometimes unique, sometimes partial; {@code null} when nothing fits. */
    Index index(Table table) {
        List<Column> candidates = table.columns.stream()
                .filter(c -> c != table.key && isIndexable(c))
                .toList();
        if (candidates.isEmpty()) {
            return null;
        }
        List<Column> columns = new ArrayList<>();
        columns.add(pick(candidates));
        if (candidates.size() > 1 && chance(0.35)) {
            Column second = pick(candidates);
            if (second != columns.get(0)) {
                columns.add(second);
            }
        }
        boolean unique = chance(0.2);
        Expression where = null;
        if (chance(0.25)) {
            List<Column> filters = table.columns.stream()
                    .filter(c -> c.type.equals("boolean") || (!c.notNull && c != table.key))
                    .toList();
            if (!filters.isEmpty()) {
                Column filter = pick(filters);
                where = new Expression(filter.type.equals("boolean") ? "{0}" : "{0} IS NOT NULL", List.of(filter));
            }
        }
        String base = (unique ? "ux_" : "ix_") + table.name + "_"
                + String.join("_", columns.stream().map(c -> c.name).toList());
        return new Index(names.fresh(base), table, columns, unique, where);
    }

    private static boolean isIndexable(Column column) {
        return !column.type.equals("jsonb") && !column.type.equals("boolean");
    }

    /**
     * A view over {@code base}, joined to the target of one of its foreign keys when {@code join}
     * and it has one; {@code null} when the base table has nothing to show.
     */
    View view(Table base, boolean join) {
        List<Constraint> foreignKeys =
                base.foreignKeys().stream().filter(fk -> fk.target != base).toList();
        Constraint via = join && !foreignKeys.isEmpty() ? pick(foreignKeys) : null;
        Table joined = via == null ? null : via.target;
        Set<String> outputs = new LinkedHashSet<>();
        List<ViewColumn> columns = new ArrayList<>();
        columns.add(new ViewColumn("a", base.key, base.key.name));
        outputs.add(base.key.name);
        List<Column> others = base.columns.stream().filter(c -> c != base.key).toList();
        int wanted = Math.min(others.size(), between(1, 4));
        for (int i = 0; i < wanted * 2 && columns.size() <= wanted; i++) {
            Column column = pick(others);
            if (outputs.add(column.name)) {
                columns.add(new ViewColumn("a", column, column.name));
            }
        }
        if (joined != null) {
            String prefix = joined.reference
                    ? joined.name.substring("ref_".length())
                    : joined.name.split("_")[0];
            List<Column> joinedColumns =
                    joined.columns.stream().filter(c -> c != joined.key).toList();
            int count = Math.min(joinedColumns.size(), between(1, 2));
            for (int i = 0; i < count; i++) {
                Column column = joinedColumns.get(i);
                String output = Names.clip(prefix + "_" + column.name, Names.MAX);
                for (int n = 2; outputs.contains(output); n++) {
                    output = Names.clip(prefix + "_" + column.name, Names.MAX - 3) + "_" + n;
                }
                outputs.add(output);
                columns.add(new ViewColumn("b", column, output));
            }
        }
        Expression where = null;
        List<Column> flags =
                base.columns.stream().filter(c -> c.type.equals("boolean")).toList();
        if (!flags.isEmpty() && chance(0.3)) {
            where = new Expression("{0}", List.of(pick(flags)));
        }
        String name = names.fresh("v_" + Names.clip(base.name, 40)
                + (joined == null
                        ? ""
                        : "_"
                                + (joined.reference
                                        ? joined.name.substring("ref_".length())
                                        : joined.name.split("_")[0])));
        return new View(name, base, joined, via, joined != null && chance(0.3), columns, where);
    }

    /** A new enum type, not yet used by any column. */
    EnumType enumType() {
        int suffix = random.nextInt(Names.ENUM_SUFFIXES.size());
        String name = names.fresh(pick(Names.ENTITIES) + "_" + Names.ENUM_SUFFIXES.get(suffix));
        return new EnumType(name, Names.ENUM_LABELS.get(suffix));
    }

    /** A new reference table (explicit ids, a unique label) with its first rows; {@code null} when no topic is left. */
    Table referenceTable() {
        List<String> topics = Names.REFERENCE_TOPICS.stream()
                .filter(t -> names.isFree("ref_" + t))
                .toList();
        if (topics.isEmpty()) {
            return null;
        }
        String name = names.table("ref_" + pick(topics), "id");
        Table table = new Table(
                name, true, names.fresh("pk_" + name), new Column("id", "integer", true, null, KeyKind.PLAIN));
        Column label = new Column("label", "text", true, null);
        table.columns.add(label);
        table.constraints.add(Constraint.unique(names.fresh("uq_" + name + "_label"), List.of(label)));
        if (chance(0.5)) {
            Column code = new Column("code", "varchar(32)", true, null);
            table.columns.add(code);
            table.constraints.add(Constraint.unique(names.fresh("uq_" + name + "_code"), List.of(code)));
        }
        if (chance(0.4)) {
            table.columns.add(new Column("sort_order", "integer", true, "0"));
        }
        table.rows.addAll(rows(table, between(2, 5)));
        return table;
    }

    /** New rows for a reference table (ids after its last one, labels it does not have yet). */
    List<List<String>> rows(Table table, int count) {
        Set<String> labels = new LinkedHashSet<>();
        int lastId = 0;
        int labelIndex = table.columns.indexOf(table.column("label"));
        for (List<String> row : table.rows) {
            lastId = Math.max(lastId, Integer.parseInt(row.get(0)));
            labels.add(row.get(labelIndex));
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            int id = lastId + i;
            String label = pick(Names.LABELS);
            if (labels.contains("'" + label + "'")) {
                label = label + " " + id;
            }
            labels.add("'" + label + "'");
            List<String> row = new ArrayList<>();
            for (Column column : table.columns) {
                row.add(
                        switch (column.name) {
                            case "id" -> String.valueOf(id);
                            case "label" -> "'" + label + "'";
                            case "code" ->
                                "'" + label.toLowerCase(java.util.Locale.ROOT).replace(' ', '_') + "'";
                            case "sort_order" -> String.valueOf(id * 10);
                            default -> throw new IllegalStateException("No value for " + column.name);
                        });
            }
            rows.add(row);
        }
        return rows;
    }
}
