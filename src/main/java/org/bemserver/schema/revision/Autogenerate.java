package org.bemserver.schema.revision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.diff.MigrationScript;
import org.bemserver.schema.diff.SchemaComparison;
import org.bemserver.schema.diff.SchemaDiff;
import org.bemserver.schema.diff.ScriptGenerator;

/**
 * The migration that turns the schema the migrations build into the one the model builds, and its
 * undo, generated from the snapshots of two throwaway databases and proven on them: the migration
 * applied to the upgraded database must give the model's snapshot, and the undo applied after it
 * the upgraded one again.
 */
public final class Autogenerate {

    /**
     * What was generated.
     *
     * @param diff the differences from the migrations at head to the model
     * @param migration the statements from head to the model
     * @param undo the statements back
     * @param unproven why the proof failed, one line each; empty when both scripts did their job
     */
    public record Result(SchemaDiff diff, MigrationScript migration, MigrationScript undo, List<String> unproven) {

        public Result {
            unproven = List.copyOf(unproven);
        }

        public boolean isEmpty() {
            return migration.isEmpty() && undo.isEmpty();
        }
    }

    private Autogenerate() {}

    public static Result run(ProjectBuilds builds, Throwaway throwaway, Reporter reporter) {
        return run(builds, throwaway, true, reporter);
    }

    /**
     * The same; with {@code guessRenames} off, an object dropped and one added with the same
     * definition are dropped and added rather than renamed ({@code bemserver.renames}).
     */
    public static Result run(ProjectBuilds builds, Throwaway throwaway, boolean guessRenames, Reporter reporter) {
        Database upgraded = throwaway.create("head");
        Database modelled = throwaway.create("model");
        ProjectBuilds.Pair<Snapshot, Snapshot> snapshots = ProjectBuilds.both(
                () -> {
                    builds.migrations(upgraded, Reporter.quiet(reporter)).upgrade(null, false);
                    return builds.snapshot(upgraded, ProjectBuilds.SESSION_DATABASE);
                },
                () -> {
                    builds.setUp(modelled, Reporter.quiet(reporter));
                    return builds.snapshot(modelled, ProjectBuilds.SESSION_DATABASE);
                });
        Snapshot head = snapshots.first();
        Snapshot model = snapshots.second();
        reporter.info("Built the migrations at head and the model on throwaway databases");
        SchemaDiff diff = SchemaComparison.compare(head, model, guessRenames);
        int major = Integer.parseInt(upgraded.serverMajor());
        MigrationScript migration = ScriptGenerator.generate(head, model, major, guessRenames);
        MigrationScript undo = ScriptGenerator.generate(model, head, major, guessRenames);
        List<String> unproven = new ArrayList<>();
        if (!migration.isEmpty() || !undo.isEmpty()) {
            unproven.addAll(builds.prove(upgraded, "migration", migration, model, ProjectBuilds.SESSION_DATABASE));
            if (unproven.isEmpty()) {
                unproven.addAll(builds.prove(upgraded, "undo", undo, head, ProjectBuilds.SESSION_DATABASE));
            }
            if (!builds.settings().placeholderReplacement()) {
                // a throwaway database's name is read as the placeholder, which Flyway will not replace
                for (var script : List.of(Map.entry("migration", migration), Map.entry("undo", undo))) {
                    if (script.getValue().render().contains(ProjectBuilds.SESSION_DATABASE)) {
                        unproven.add("the generated " + script.getKey() + " writes " + ProjectBuilds.SESSION_DATABASE
                                + " for the name of the database it runs on, which stays as written with "
                                + "bemserver.placeholderReplacement=false: write the name there, or let placeholders "
                                + "be replaced");
                    }
                }
            }
        }
        return new Result(diff, migration, undo, unproven);
    }
}
