package org.bemserver.schema.diff;

import org.bemserver.schema.catalog.Snapshot;

/**
 * Writes the SQL that turns the database of one snapshot into that of another.
 *
 * <p>Every difference becomes steps (drop, create, alter, rename), and the steps are ordered by
 * a dependency graph: a step that creates or changes an object runs after the steps that create
 * what it depends on in the target ({@code pg_depend} of the target, plus a table before its
 * columns and constraints); a step that drops an object runs after the steps that drop or change
 * what depends on it in the source. Objects that depend on something dropped, recreated or
 * retyped, and stay, are dropped before and recreated after (views over a retyped column,
 * triggers on a recreated function, defaults that call a recreated function). Enums, domains and
 * composite types are changed in place where PostgreSQL allows it; an enum or domain that must be
 * recreated is created beside the old one, which its columns leave when they are retyped. Ties
 * are broken by a fixed rank (types and sequences first, foreign keys after every table, default
 * rows last) and then by name, so the script is the same every time. Nothing that cannot run in a
 * transaction is generated.
 *
 * <p>The work runs in phases, each in a class of its own: {@link ChangePlan} decides what happens
 * to each object, {@link SchemaSteps} and {@link ReferenceRowSteps} write the steps (their text
 * from {@link Sql}), and {@link StepGraph} orders them.
 */
public final class ScriptGenerator {

    private ScriptGenerator() {}

    /**
     * The script that turns {@code from} into {@code to} on a server of PostgreSQL
     * {@code serverMajor}: statements a major lacks are written another way (before 17 a generated
     * column cannot {@code SET EXPRESSION}, so it is dropped and added again). Renames are guessed.
     */
    public static MigrationScript generate(Snapshot from, Snapshot to, int serverMajor) {
        return generate(from, to, serverMajor, true);
    }

    /**
     * The same; with {@code guessRenames} off, an object dropped and one added with the same
     * definition are dropped and added (with the data-loss warning) rather than renamed.
     */
    public static MigrationScript generate(Snapshot from, Snapshot to, int serverMajor, boolean guessRenames) {
        ChangePlan plan = new ChangePlan(from, to, SchemaComparison.compare(from, to, guessRenames), serverMajor);
        StepGraph graph = new StepGraph(plan);
        SchemaSteps.write(plan, graph);
        ReferenceRowSteps.write(plan, graph);
        graph.link();
        ReferenceRowSteps.link(plan, graph);
        return new MigrationScript(graph.order());
    }
}
