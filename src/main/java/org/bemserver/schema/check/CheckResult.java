package org.bemserver.schema.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bemserver.schema.JunitReport;
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
 * @param modelTime how long building both ways and comparing took
 * @param time how long the whole check took (the stairway runs beside the two builds)
 */
public record CheckResult(
        List<Revision> revisions,
        SchemaDiff model,
        List<Step> steps,
        boolean stairway,
        Duration modelTime,
        Duration time) {

    private static final String MODEL_LEGEND =
            "+ only in the model, - only in the migrations, ~ changed (migrations -> model):";
    private static final String UNDO_LEGEND =
            "+ left by the undo, - removed by the undo, ~ changed (before the upgrade -> after the undo):";

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
     * @param time how long the step took, a rebuild after it included
     */
    public record Step(Revision revision, SchemaDiff undone, String problem, Duration time) {

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
        return differences(model, strictColumnOrder)
                + failedSteps(strictColumnOrder).size();
    }

    /** How many differences of {@code diff} count. */
    private static int differences(SchemaDiff diff, boolean strictColumnOrder) {
        return diff.changes().size()
                + diff.rows().size()
                + (strictColumnOrder ? diff.columnOrder().size() : 0);
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
            lines.add("  " + MODEL_LEGEND);
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
                lines.add("  revision " + step.revision().label() + ": " + UNDO_LEGEND);
                step.undone().report().forEach(line -> lines.add("    " + line));
                if (step.problem() != null) {
                    lines.add("    " + step.problem());
                }
            }
        }
        return lines;
    }

    /**
     * The JUnit XML report of {@code target/bemserver/check-report.xml}: one case for the migrations
     * against the model, and with the stairway one per revision, so that a CI page shows which
     * revision's undo fails.
     */
    public JunitReport junitReport(boolean strictColumnOrder) {
        List<JunitReport.TestCase> cases = new ArrayList<>();
        String modelCase = "migrations against the model";
        if (model.hasDifferences(strictColumnOrder)) {
            int count = differences(model, strictColumnOrder);
            List<String> detail = new ArrayList<>();
            detail.add(MODEL_LEGEND);
            detail.addAll(model.report());
            cases.add(new JunitReport.TestCase(
                    "db-check.migrations",
                    modelCase,
                    modelTime,
                    new JunitReport.Failure(
                            count + " difference" + (count == 1 ? "" : "s") + " between the migrations ("
                                    + revisions.size() + " revision" + (revisions.size() == 1 ? "" : "s")
                                    + ") and the model",
                            "difference",
                            detail)));
        } else {
            cases.add(JunitReport.TestCase.passed("db-check.migrations", modelCase, modelTime));
        }
        for (Step step : steps) {
            String name = "revision " + step.revision().label() + ": upgrade, undo, upgrade again";
            if (step.reverts(strictColumnOrder)) {
                cases.add(JunitReport.TestCase.passed("db-check.stairway", name, step.time()));
                continue;
            }
            int count = differences(step.undone(), strictColumnOrder);
            List<String> detail = new ArrayList<>();
            if (count > 0) {
                detail.add(UNDO_LEGEND);
                detail.addAll(step.undone().report());
            }
            String message = count == 0
                    ? step.problem()
                    : "the undo leaves " + count + " difference" + (count == 1 ? "" : "s")
                            + (step.problem() == null ? "" : ", and " + step.problem());
            if (step.problem() != null) {
                detail.add(step.problem());
            }
            cases.add(new JunitReport.TestCase(
                    "db-check.stairway", name, step.time(), new JunitReport.Failure(message, "undo", detail)));
        }
        return new JunitReport("db-check", time, cases);
    }
}
