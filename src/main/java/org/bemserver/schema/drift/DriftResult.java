package org.bemserver.schema.drift;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.Json;
import org.bemserver.schema.JunitReport;
import org.bemserver.schema.diff.MigrationScript;
import org.bemserver.schema.diff.SchemaDiff;
import org.bemserver.schema.migrate.Revision;
import org.bemserver.schema.migrate.RevisionStatus;

/**
 * What {@code db-drift} found.
 *
 * @param status where the live database stands: its recorded revision, what is pending (not
 *     drift), the problems of its history
 * @param diff the differences from the recorded revision (first) to the live database (second)
 * @param repair the SQL back to the revision, when there are differences; otherwise {@code null}
 * @param time how long the comparison took, the repair's proof included
 */
public record DriftResult(RevisionStatus status, SchemaDiff diff, Repair repair, Duration time) {

    private static final String LEGEND =
            "+ only in the live database, - missing from it, ~ changed (revision %s -> live database):";

    /**
     * The repair script.
     *
     * @param script the SQL from the live schema to the recorded revision
     * @param capture the SQL the other way, from the revision to the live schema (what a captured
     *     revision holds; the repair is its undo)
     * @param unproven why the proof of either on a throwaway copy failed, one line each; empty when proven
     */
    public record Repair(MigrationScript script, MigrationScript capture, List<String> unproven) {

        public Repair {
            unproven = List.copyOf(unproven);
        }

        public boolean proven() {
            return unproven.isEmpty();
        }
    }

    /** The recorded revision, {@code <base>} when none. */
    public String revision() {
        return Revision.display(status.current());
    }

    /** Whether the live database holds exactly its revision and its history has no problem. */
    public boolean passed() {
        return !diff.hasDifferences(false) && status.problems().isEmpty();
    }

    /** How many differences from the revision (column order not counted). */
    public int differences() {
        return diff.changes().size() + diff.rows().size();
    }

    /**
     * The report of {@code target/bemserver/drift-report.txt}, also printed when drift is found.
     *
     * @param repairFile where the proven repair is written, or {@code null} when it is not (a capture)
     */
    public List<String> report(String repairFile) {
        List<String> pending = status.pendingRevisions();
        List<String> lines = comparison(
                revision(), pending.isEmpty() ? "" : " (pending, not drift: " + String.join(", ", pending) + ")", diff);
        if (!status.problems().isEmpty()) {
            lines.add("History: " + count(status.problems().size(), "problem"));
            status.problems().forEach(problem -> lines.add("  " + problem));
        }
        lines.addAll(repairLines(repairFile));
        return lines;
    }

    /** What the report says of the repair, if anything. */
    private List<String> repairLines(String repairFile) {
        List<String> lines = new ArrayList<>();
        if (repair != null) {
            if (repair.proven() && repairFile != null) {
                lines.add("Repair: " + repairFile + " returns the database to revision " + revision()
                        + " (proven on a throwaway copy of the live schema)");
            } else if (!repair.proven()) {
                lines.add("Repair: none written, the generated one did not prove right on a throwaway copy:");
                repair.unproven().forEach(line -> lines.add("  " + line));
            }
        }
        return lines;
    }

    /**
     * How a live database compares with a revision built by the migrations, as {@code db-drift} and
     * {@code db-baseline} report it: a heading, then the differences ({@code diff} from the revision to
     * the live database) or {@code same schema and reference rows}.
     *
     * @param note said after the heading, e.g. {@code  (pending, not drift: 4)}; may be empty
     */
    public static List<String> comparison(String revision, String note, SchemaDiff diff) {
        List<String> lines = new ArrayList<>();
        lines.add("Live database against revision " + revision + " built by the migrations" + note);
        if (!diff.hasDifferences(false)) {
            lines.add("  same schema and reference rows"
                    + (diff.columnOrder().isEmpty() ? "" : " (column order differs)"));
        } else {
            lines.add("  " + LEGEND.formatted(revision));
        }
        diff.report().forEach(line -> lines.add("  " + line));
        return lines;
    }

    /**
     * The JUnit XML report of {@code target/bemserver/drift-report.xml}: always two cases, the live
     * database against its revision (all differences in one failure, as one repair returns them all)
     * and the history of the live database.
     *
     * @param repairFile where the proven repair is written
     */
    public JunitReport junitReport(String repairFile) {
        String compared = "revision " + revision() + " against the live database";
        JunitReport.TestCase schema;
        if (diff.hasDifferences(false)) {
            List<String> detail = new ArrayList<>();
            detail.add(LEGEND.formatted(revision()));
            detail.addAll(diff.report());
            detail.addAll(repairLines(repairFile));
            schema = new JunitReport.TestCase(
                    "db-drift",
                    compared,
                    time,
                    new JunitReport.Failure(
                            count(differences(), "difference") + " from revision " + revision() + ": "
                                    + (repair != null && repair.proven()
                                            ? "psql -1 -f " + repairFile + " returns the database to it"
                                            : "no repair written, the generated one did not prove right"),
                            "drift",
                            detail));
        } else {
            schema = JunitReport.TestCase.passed("db-drift", compared, time);
        }
        String history = "history of the live database";
        List<String> problems = status.problems();
        JunitReport.TestCase recorded = problems.isEmpty()
                ? JunitReport.TestCase.passed("db-drift", history, Duration.ZERO)
                : new JunitReport.TestCase(
                        "db-drift",
                        history,
                        Duration.ZERO,
                        new JunitReport.Failure(
                                problems.size() == 1 ? problems.get(0) : count(problems.size(), "history problem"),
                                "history",
                                problems));
        return new JunitReport("db-drift", time, List.of(schema, recorded));
    }

    /**
     * One JSON object, e.g. {@code {"revision":"8","pending":[],"drift":true,"differences":["+ index public.ix"],
     * "problems":[],"report":"target/bemserver/drift-report.txt","repair":"target/bemserver/drift-repair.sql"}}.
     */
    public String toJson(String reportFile, String repairFile) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("revision", status.current());
        json.put("pending", status.pendingRevisions());
        json.put("drift", !passed());
        json.put("differences", diff.report());
        json.put("problems", status.problems());
        json.put("report", reportFile);
        json.put("repair", repair != null && repair.proven() ? repairFile : null);
        return Json.write(json);
    }

    /** The one-line verdict: {@code No drift: ...}, or what the failure says was found. */
    String found() {
        List<String> parts = new ArrayList<>();
        if (differences() > 0) {
            parts.add(count(differences(), "difference") + " from revision " + revision());
        }
        if (!status.problems().isEmpty()) {
            parts.add(count(status.problems().size(), "history problem"));
        }
        return String.join(" and ", parts);
    }

    public static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
