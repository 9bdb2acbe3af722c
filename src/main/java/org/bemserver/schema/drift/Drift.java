package org.bemserver.schema.drift;

import java.time.Duration;
import java.util.List;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.OutputFile;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.diff.MigrationScript;
import org.bemserver.schema.diff.SchemaComparison;
import org.bemserver.schema.diff.SchemaDiff;
import org.bemserver.schema.diff.ScriptGenerator;
import org.bemserver.schema.migrate.Adoption;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.schema.migrate.Revision;
import org.bemserver.schema.migrate.RevisionStatus;
import org.bemserver.schema.revision.RevisionWriter;

/**
 * {@code db-drift}: proves that a live database holds exactly what its recorded revision says.
 * The migrations are built up to that revision on a throwaway database, and both are snapshotted
 * and compared as {@code db-check} compares. The live database is only read: its history through
 * Flyway's info, its catalog and reference rows in one read-only transaction. On differences, the
 * repair (the SQL from the live schema back to the revision) is proven on a throwaway copy of the
 * live schema first.
 */
public final class Drift {

    private final ProjectBuilds builds;
    private final Reporter reporter;

    public Drift(ProjectBuilds builds, Reporter reporter) {
        this.builds = builds;
        this.reporter = reporter;
    }

    /**
     * Reads where {@code live} stands from its history ({@code recorded}) and checks that it can be
     * compared: a history table, a revision the project has and, to {@code capture} the drift as a
     * new revision, no pending revision (it would be applied after them). Made before any throwaway
     * database exists.
     */
    public RevisionStatus recorded(Database live, Migrations recorded, boolean capture) {
        requireHistoryTable(recorded);
        RevisionStatus status = recorded.status();
        requireKnownRevision(status);
        List<String> pending = status.pendingRevisions();
        if (capture && !pending.isEmpty()) {
            throw new MigrationException("Capture needs the database at head " + status.head() + ", but "
                    + DriftResult.count(pending.size(), "revision") + " " + (pending.size() == 1 ? "is" : "are")
                    + " pending (" + String.join(", ", pending) + "): upgrade it with db-upgrade, then capture; "
                    + "nothing was written");
        }
        return status;
    }

    /**
     * Compares {@code live}, whose history says {@code status} (from {@link #recorded}), with its
     * recorded revision built on a database of {@code throwaway}.
     */
    public DriftResult run(Database live, RevisionStatus status, Throwaway throwaway) {
        long start = System.nanoTime();
        String revision = status.current();
        Database expected = throwaway.create("expected");
        // a script's ${flyway:database} named the live database there and the throwaway here
        String liveName = live.name();
        upgrade(expected, revision);
        reporter.info("Built revision " + Revision.display(revision) + " on a throwaway database");
        ProjectBuilds.Pair<Snapshot, Snapshot> snapshots =
                ProjectBuilds.both(() -> builds.snapshot(live), () -> builds.snapshot(expected, liveName));
        Snapshot liveSnapshot = snapshots.first();
        Snapshot expectedSnapshot = snapshots.second();
        // a sequence's position is no part of a revision: a live database uses its sequences
        SchemaDiff diff =
                SchemaComparison.compare(expectedSnapshot, liveSnapshot).withoutSequencePositions();
        if (!diff.hasDifferences(false)) {
            return new DriftResult(status, diff, null, Duration.ofNanos(System.nanoTime() - start));
        }
        DriftResult.Repair repair = repair(
                throwaway, revision, liveSnapshot, expectedSnapshot, liveName, Integer.parseInt(live.serverMajor()));
        return new DriftResult(status, diff, repair, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * The SQL from the live schema back to the revision, proven on a throwaway copy of the live
     * schema: the revision built, the drift applied on it (the script the other way), which must give
     * the live snapshot, then the repair, which must give the revision's.
     */
    private DriftResult.Repair repair(
            Throwaway throwaway, String revision, Snapshot live, Snapshot expected, String liveName, int serverMajor) {
        MigrationScript repair = ScriptGenerator.generate(live, expected, serverMajor);
        MigrationScript capture = ScriptGenerator.generate(expected, live, serverMajor);
        Database copy = throwaway.create("copy");
        upgrade(copy, revision);
        List<String> unproven = builds.prove(copy, "copy of the live schema", capture, live, liveName);
        if (unproven.isEmpty()) {
            unproven = builds.prove(copy, "repair", repair, expected, liveName);
            reporter.info("Proved the repair on a throwaway copy of the live schema");
        }
        return new DriftResult.Repair(repair, capture, unproven);
    }

    /**
     * Writes the report to {@code reportFile}, its JUnit XML form to {@code junitFile} and, when
     * proven, the repair to {@code repairFile} (an earlier run's repair is removed otherwise); prints
     * the verdict, and on drift prints the report and fails.
     */
    public static void finish(
            DriftResult result, OutputFile reportFile, OutputFile junitFile, OutputFile repairFile, Reporter reporter) {
        List<String> report = result.report(repairFile.shown());
        DriftResult.Repair repair = result.repair();
        // the repair first: reports that name it never stand beside an earlier run's
        if (repair != null && repair.proven()) {
            repairFile.write(repair.script().render());
        } else {
            repairFile.delete();
        }
        reportFile.writeLines(report);
        result.junitReport(repairFile.shown()).write(junitFile);
        if (result.passed()) {
            List<String> pending = result.status().pendingRevisions();
            reporter.info("No drift: the database holds exactly revision " + result.revision()
                    + (pending.isEmpty()
                            ? ""
                            : " (" + DriftResult.count(pending.size(), "revision") + " pending, not drift)")
                    + " (report: " + reportFile.shown() + ")");
            return;
        }
        report.forEach(reporter::warn);
        String fix = repair == null || result.differences() == 0
                ? "fix the history as listed"
                : repair.proven()
                        ? "return the database to revision " + result.revision() + " with psql -1 -f "
                                + repairFile.shown() + ", or record the change as a new revision"
                        : "return the database to revision " + result.revision()
                                + " by hand, or record the change as a new revision";
        throw new MigrationException(
                "Drift found: " + result.found() + " (listed above and in " + reportFile.shown() + "): " + fix);
    }

    /**
     * Writes the drift as a new revision with {@code writer}: its migration turns the recorded
     * revision into what the live database holds, and its undo (the repair) turns it back, both
     * proven on a throwaway copy. Writes nothing, and fails, on history problems or an unproven
     * script; writes the report either way.
     */
    public static void capture(DriftResult result, RevisionWriter writer, OutputFile reportFile, Reporter reporter) {
        List<String> report = result.report(null);
        reportFile.writeLines(report);
        if (result.differences() == 0 && result.status().problems().isEmpty()) {
            reporter.info(
                    "No drift: the database holds exactly revision " + result.revision() + "; nothing to capture");
            return;
        }
        DriftResult.Repair repair = result.repair();
        if (!result.status().problems().isEmpty() || repair == null || !repair.proven()) {
            report.forEach(reporter::warn);
            throw new MigrationException("Cannot capture the drift: "
                    + (result.status().problems().isEmpty()
                            ? "the generated revision did not prove right on a throwaway copy of the live schema"
                            : "fix the history first")
                    + " (listed above and in " + reportFile.shown() + "); nothing was written");
        }
        result.diff().report().forEach(line -> reporter.info("  " + line));
        writer.writeScripts(
                "-- Captured by db-drift -Dbemserver.capture from what the live database holds beyond " + "revision "
                        + result.revision()
                        + ";\n-- proven on a throwaway copy of it; review it before you commit it.\n",
                repair.capture(),
                repair.script());
    }

    /** Builds the migrations up to {@code revision} ({@code null}: none) on an empty throwaway database. */
    private void upgrade(Database database, String revision) {
        if (revision == null) {
            return;
        }
        try {
            builds.migrations(database, Reporter.quiet(reporter)).upgrade(revision, false);
        } catch (MigrationException e) {
            throw new MigrationException(
                    "Building revision " + revision + " on a throwaway database failed: " + e.getMessage(), e);
        }
    }

    private static void requireHistoryTable(Migrations recorded) {
        Adoption adoption = recorded.adoption();
        if (adoption.unmanaged()) {
            throw new MigrationException(adoption.refusal());
        }
        if (!adoption.hasHistory()) {
            throw new MigrationException("The database has no history table " + adoption.history()
                    + ": db-drift compares a database with the revision its history records; upgrade it with "
                    + "db-upgrade first, or set bemserver.schemas and bemserver.table to where its history is");
        }
    }

    private static void requireKnownRevision(RevisionStatus status) {
        if (!status.isAhead()) {
            return;
        }
        String current = status.current();
        if (status.head() != null && Revision.compare(current, status.head()) > 0) {
            throw new MigrationException("The database is at revision " + current + ", ahead of this project's head "
                    + status.head() + ": run db-drift from the version of the project that has revision " + current);
        }
        throw new MigrationException("The database's revision " + current + " is not in this project "
                + "(bemserver.locations): run db-drift from the branch that has it, or restore its script");
    }
}
