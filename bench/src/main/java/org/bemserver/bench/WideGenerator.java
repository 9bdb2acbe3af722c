package org.bemserver.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bemserver.bench.Schema.Constraint;
import org.bemserver.bench.Schema.Index;
import org.bemserver.bench.Schema.Table;
import org.bemserver.bench.Schema.View;

/**
 * A wide schema in one revision: {@code T} tables (most with a foreign key to an earlier one),
 * one or two indexes each, one view per ten tables joining two of them. {@code V1} is the model
 * itself; {@code U1} drops the views, then the tables, newest first.
 */
final class WideGenerator {

    private static final SchemaBuilder.TableShape SHAPE = new SchemaBuilder.TableShape(2, 7, 0.85, 0, 0.2, 0.2, 0);

    private WideGenerator() {}

    static Corpus generate(int tables, long seed) {
        Schema schema = new Schema();
        SchemaBuilder builder = new SchemaBuilder(new Random(seed), schema);
        for (int i = 0; i < tables; i++) {
            Table table = builder.table(SHAPE);
            List<Constraint> foreignKeys = table.foreignKeys();
            int wanted = builder.chance(0.5) ? 2 : 1;
            if (!foreignKeys.isEmpty()) {
                table.indexes.add(
                        builder.index(table, foreignKeys.get(0).columns.get(0)));
            }
            for (int attempt = 0; table.indexes.size() < wanted && attempt < 5; attempt++) {
                Index index = builder.index(table);
                if (index != null) {
                    table.indexes.add(index);
                }
            }
            schema.tables.add(table);
        }
        for (int block = 0; block + 10 <= tables; block += 10) {
            List<Table> joinable = schema.tables.subList(block, block + 10).stream()
                    .filter(t -> t.foreignKeys().stream().anyMatch(fk -> fk.target != t))
                    .toList();
            if (joinable.isEmpty()) {
                joinable = schema.tables.stream()
                        .filter(t -> !t.foreignKeys().isEmpty())
                        .toList();
            }
            Table base = joinable.isEmpty() ? schema.tables.get(block) : builder.pick(joinable);
            schema.views.add(builder.view(base, true));
        }
        String model = schema.model();
        StringBuilder down = new StringBuilder();
        for (View view : reversed(schema.views)) {
            down.append("DROP VIEW ").append(view.name).append(";\n");
        }
        for (Table table : reversed(schema.tables)) {
            down.append("DROP TABLE ").append(table.name).append(";\n");
        }
        Revision revision = new Revision(
                1,
                ChangeKind.CREATE_SCHEMA,
                ChangeKind.CREATE_SCHEMA.slug() + "_" + tables + "_tables",
                model,
                down.toString());
        Corpus.Counts counts = new Corpus.Counts(
                schema.tables.size(),
                schema.indexCount(),
                schema.views.size(),
                schema.enums.size(),
                schema.referenceRowCount());
        return new Corpus(List.of(revision), model, schema.referenceTables(), counts);
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
