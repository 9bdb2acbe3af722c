package org.bemserver.schema.check;

import java.util.ArrayList;
import java.util.List;
import org.bemserver.schema.diff.SchemaDiff;
import org.bemserver.schema.migrate.Revision;

/**
 * What {@code db-check} found.
 *
 * @param revisions the project's revisions, oldest first
 * @param model the differences from the migrations at head (first) to the model (second)
 * @param steps with the stairway, one per revision: the differences from the schema before its
 *     upgrade to the schema after its undo
 * @param stairway whether the stairway ran
 */
public record CheckResult(List<Revision> revisions, SchemaDiff model, List<Step> steps, boolean stairway) {

    public CheckResult {
        revisions = List.copyOf(revisions);
        steps = List.copyOf(steps);
    }

    /**
     * One stair: a revision upgraded, undone and upgraded again.
     *
     * @param undone the differences from the schema before the upgrade to the schema after the undo
     * @param problem why the step could not be completed (no undo script, a failing undo, an upgrade
     *     that fails after the undo), or {@code null}
     */
    public record Step(Revision revision, SchemaDiff undone, String problem) {

        /**
         * Whether the undo left the schema (and reference rows) as they were before the upgrade, and
         * the step went through.
         */
        public boolean reverts(boolean strictColumnOrder) {
            return !undone.hasDifferences(strictColumnOrder) && problem == null;
        }
    }

    public boolean passed(boolean strictColumnOrder) {
        return !model.hasDifferences(strictColumnOrder)
                && failedSteps(strictColumnOrder).isEmpty();
    }

    public List<Step> failedSteps(boolean strictColumnOrder) {
        return steps.stream().filter(step -> !step.reverts(strictColumnOrder)).toList();
    }

    /** How many differences fail the check. */
    public int problems(boolean strictColumnOrder) {
        return model.changes().size()
                + model.rows().size()
                + (strictColumnOrder ? model.columnOrder().size() : 0)
                + failedSteps(strictColumnOrder).size();
    }

    /** The report of {@code target/bemserver/check-report.txt}, also printed when the check fails. */
    public List<String> report(boolean strictColumnOrder) {
        List<String> lines = new ArrayList<>();
        lines.add("Migrations (" + revisions.size() + " revision" + (revisions.size() == 1 ? "" : "s")
                + ") against the model");
        if (!model.hasDifferences(strictColumnOrder)) {
            lines.add("  same schema and reference rows"
                    + (model.columnOrder().isEmpty()
                            ? ""
                            : " (column order differs, allowed unless bemserver.strictColumnOrder=true)"));
        } else {
            lines.add("  + only in the model, - only in the migrations, ~ changed (migrations -> model):");
        }
        for (String line : model.report()) {
            lines.add("  " + line);
        }
        if (stairway) {
            List<Step> failed = failedSteps(strictColumnOrder);
            lines.add("Stairway (each revision upgraded, undone, upgraded again): "
                    + (failed.isEmpty()
                            ? "every undo reverts its revision"
                            : failed.size() + " undo script" + (failed.size() == 1 ? " does" : "s do")
                                    + " not revert their revision"));
            for (Step step : failed) {
                lines.add("  revision " + step.revision().label() + ": + left by the undo, - removed by the undo, "
                        + "~ changed (before the upgrade -> after the undo):");
                step.undone().report().forEach(line -> lines.add("    " + line));
                if (step.problem() != null) {
                    lines.add("    " + step.problem());
                }
            }
        }
        return lines;
    }
}
