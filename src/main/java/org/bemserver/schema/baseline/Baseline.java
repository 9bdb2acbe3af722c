package org.bemserver.schema.baseline;

import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.OutputFile;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.diff.SchemaComparison;
import org.bemserver.schema.diff.SchemaDiff;
import org.bemserver.schema.drift.DriftResult;
import org.bemserver.schema.migrate.Adoption;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.schema.migrate.Revision;
import org.bemserver.schema.migrate.RevisionStatus;
import org.bemserver.schema.migrate.Stamp;

/**
 * {@code db-baseline}: adopts a database that holds a schema but no history of this plugin (an
 * Alembic-era BEMServer installation), after proving which revision it holds. The migrations are
 * built up to that revision on a throwaway database and compared with the live one, as
 * {@code db-drift} compares (Alembic's {@code alembic_version} and the history table left out);
 * only when they match is the history written: Flyway's history table, created as Flyway creates
 * it, with one row per script up to the revision as an upgrade would have written them, in one
 * transaction under the migration lock.
 */
public final class Baseline {

    /**
     * What to record, decided before any throwaway database exists.
     *
     * @param revision the revision the database is taken to hold
     * @param adoption what the database held when it was read
     * @param stamp the history rows to write: the scripts up to the revision not applied yet
     * @param rowsBefore how many rows the history table held when this was decided; the record
     *     is refused if another run changed it in the meantime
     */
    public record Target(String revision, Adoption adoption, Stamp stamp, int rowsBefore) {}

    /**
     * How the live database compares with the revision built by the migrations.
     *
     * @param target what is to be recorded
     * @param diff from the revision (first) to the live database (second)
     */
    public record Proof(Target target, SchemaDiff diff) {

        /** Whether the live database holds exactly the revision. */
        public boolean proven() {
            return !diff.hasDifferences(false);
        }

        /** How many differences (column order not counted). */
        public int differences() {
            return diff.changes().size() + diff.rows().size();
        }

        /** The report of {@code target/bemserver/baseline-report.txt}, in db-drift's format. */
        public List<String> report() {
            return DriftResult.comparison(
                    target.revision(),
                    " (" + Adoption.ALEMBIC_TABLE + " and " + target.adoption().history() + " left out)",
                    diff);
        }
    }

    private final ProjectBuilds builds;
    private final Reporter reporter;

    public Baseline(ProjectBuilds builds, Reporter reporter) {
        this.builds = builds;
        this.reporter = reporter;
    }

    /**
     * Decides the revision to record: {@code requested} ({@code bemserver.revision}) or else the one
     * {@code alembic_version} holds; checks that it can be recorded. Returns {@code null}, having
     * said so, when the database already has its history at that revision: nothing to do.
     */
    public Target target(Migrations migrations, String requested) {
        Adoption adoption = migrations.adoption();
        RevisionStatus status = migrations.status();
        if (!status.problems().isEmpty()) {
            throw new MigrationException(status.problemsMessage());
        }
        String wanted = requested == null || requested.isBlank() ? null : requested.strip();
        if (adoption.hasHistory() && status.current() != null) {
            String current = status.current();
            if (wanted == null
                    || wanted.equals(current)
                    || (wanted.equals(Migrations.HEAD) && current.equals(status.head()))) {
                reporter.info("Nothing to baseline: the database already has its history table " + adoption.history()
                        + ", at revision " + current + " (db-current tells where it stands, db-upgrade applies what is "
                        + "pending)");
                return null;
            }
            String above = wanted.equals(Migrations.HEAD) ? status.head() : wanted;
            if (!status.known().contains(above) || Revision.compare(above, current) < 0) {
                throw new MigrationException("The database already has its history table " + adoption.history()
                        + ", at revision " + current + ": db-baseline records only revisions above it (such as one "
                        + "db-drift captured from the database); move it to " + wanted + " with db-upgrade or "
                        + "db-downgrade; nothing was written");
            }
            // revisions the database already holds but its history does not (a captured drift)
            return target(above, adoption, migrations);
        }
        if (!adoption.schemaExists()) {
            throw new MigrationException("Schema " + adoption.schemas().get(0) + " does not exist: there is nothing to "
                    + "adopt; db-upgrade builds the database from its first revision");
        }
        List<String> alembic = adoption.alembicRevisions();
        if (alembic != null && alembic.size() > 1) {
            throw new MigrationException(Adoption.ALEMBIC_TABLE + " holds " + alembic.size() + " revisions ("
                    + String.join(", ", alembic) + "): the database is on several Alembic branches at once, which one "
                    + "revision cannot record; merge them with Alembic first (alembic merge, then alembic upgrade "
                    + "heads); nothing was written");
        }
        String found = adoption.alembicRevision();
        String revision = revision(wanted, found, status);
        if (wanted != null && found != null && !found.equals(revision)) {
            reporter.warn(Adoption.ALEMBIC_TABLE + " says " + found + ", but bemserver.revision asks for " + revision
                    + ": the proof decides which one the database holds");
        }
        if (!adoption.hasHistory() && !adoption.mayCreateHistory()) {
            String schema = adoption.schemas().get(0);
            throw new EnvironmentException("The role " + adoption.role() + " may not create the history table "
                    + adoption.history() + " (no CREATE privilege on schema " + schema + "); nothing was written: "
                    + "GRANT CREATE ON SCHEMA " + Identifiers.quote(schema) + " TO "
                    + Identifiers.quote(adoption.role()) + ", or run db-baseline as the schema's owner");
        }
        return target(revision, adoption, migrations);
    }

    /** The rows to write for {@code revision}, and how many rows the history table holds now. */
    private static Target target(String revision, Adoption adoption, Migrations migrations) {
        Stamp stamp = migrations.stampAt(revision);
        return new Target(revision, adoption, stamp, migrations.inLockedTransaction(stamp::existingRows));
    }

    /** The revision asked for, or found in {@code alembic_version}; checked against the project's. */
    private static String revision(String wanted, String found, RevisionStatus status) {
        List<String> known = status.known();
        if (wanted == null && found == null) {
            throw new ConfigurationException("bemserver.revision is required: the database has no "
                    + Adoption.ALEMBIC_TABLE + " revision to read; pass -Dbemserver.revision=<the revision it holds> "
                    + "(this project's: " + (known.isEmpty() ? "none" : RevisionStatus.shorten(known)) + ")");
        }
        if (Migrations.HEAD.equals(wanted)) {
            if (status.head() == null) {
                throw new ConfigurationException(
                        "This project has no revisions (bemserver.locations): there is " + "nothing to baseline at");
            }
            return status.head();
        }
        String revision = wanted != null ? wanted : found;
        if (known.contains(revision)) {
            return revision;
        }
        String source =
                wanted != null ? "bemserver.revision " + revision : Adoption.ALEMBIC_TABLE + " says " + revision;
        if (status.head() != null && Revision.compare(revision, status.head()) > 0) {
            throw new MigrationException(
                    source + ", ahead of this project's head " + status.head() + ": run db-baseline from the version "
                            + "of the project that has revision " + revision + "; nothing was written");
        }
        throw new MigrationException(source + ", which is not a revision of this project (nearest: "
                + String.join(", ", nearest(revision, known)) + ")"
                + (wanted != null ? "" : ": pass -Dbemserver.revision=<the revision the database holds>")
                + "; nothing was written");
    }

    /** The project's revisions just below and just above {@code revision}, in order. */
    static List<String> nearest(String revision, List<String> known) {
        String below = null;
        String above = null;
        for (String candidate : known) {
            int order = Revision.compare(candidate, revision);
            if (order < 0 && (below == null || Revision.compare(candidate, below) > 0)) {
                below = candidate;
            } else if (order > 0 && (above == null || Revision.compare(candidate, above) < 0)) {
                above = candidate;
            }
        }
        List<String> nearest = new ArrayList<>();
        if (below != null) {
            nearest.add(below);
        }
        if (above != null) {
            nearest.add(above);
        }
        return nearest.isEmpty() ? List.of("none: the project has no revisions") : nearest;
    }

    /**
     * Builds the target revision on a database of {@code throwaway} and compares it with
     * {@code live}, which is only read.
     */
    public Proof prove(Database live, Target target, Throwaway throwaway) {
        Database expected = throwaway.create("expected");
        try {
            builds.migrations(expected, Reporter.quiet(reporter)).upgrade(target.revision(), false);
        } catch (MigrationException e) {
            throw new MigrationException(
                    "Building revision " + target.revision() + " on a throwaway database failed: " + e.getMessage(), e);
        }
        reporter.info("Built revision " + target.revision() + " on a throwaway database");
        ProjectBuilds.Pair<Snapshot, Snapshot> snapshots = ProjectBuilds.both(
                // a script's ${flyway:database} named the live database there and the throwaway here
                () -> builds.snapshot(live), () -> builds.snapshot(expected, live.name()));
        // a sequence's position is no part of a revision: a live database uses its sequences
        SchemaDiff diff =
                SchemaComparison.compare(snapshots.second(), snapshots.first()).withoutSequencePositions();
        return new Proof(target, diff);
    }

    /**
     * Writes the report to {@code reportFile}, then the history, unless the proof failed and
     * {@code acceptDifferences} is off: then it prints the report and fails, having written
     * nothing to the database. With {@code dropAlembicVersion}, {@code alembic_version} is dropped
     * in the same transaction.
     */
    public void stamp(
            Migrations migrations,
            Proof proof,
            boolean acceptDifferences,
            boolean dropAlembicVersion,
            OutputFile reportFile) {
        Target target = proof.target();
        List<String> report = proof.report();
        reportFile.writeLines(report);
        String differences = DriftResult.count(proof.differences(), "difference");
        if (!proof.proven()) {
            report.forEach(reporter::warn);
            if (!acceptDifferences) {
                throw new MigrationException("The database does not hold revision " + target.revision() + ": "
                        + differences + " (listed above and in " + reportFile.shown() + "); nothing was written: "
                        + "return it to revision " + target.revision() + ", baseline it at the revision it holds, "
                        + "or record it as it is with -Dbemserver.acceptDifferences=true");
            }
        }
        String note = proof.proven()
                ? null
                : "db-baseline recorded revision " + target.revision() + " with " + differences
                        + " accepted (-Dbemserver.acceptDifferences): "
                        + String.join("; ", proof.diff().report());
        boolean dropped = migrations.inLockedTransaction(connection -> {
            Adoption now = migrations.adoption(connection);
            if (target.stamp().existingRows(connection) != target.rowsBefore()) {
                throw new MigrationException("Another run changed the history table " + now.history()
                        + " while this one proved the revision: nothing was written; run db-current to see where "
                        + "the database stands");
            }
            target.stamp().record(connection, note);
            boolean drop = dropAlembicVersion && now.alembicRevisions() != null;
            if (drop) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(
                            "DROP TABLE " + Identifiers.qualified(now.schemas().get(0), Adoption.ALEMBIC_TABLE));
                }
            }
            return drop;
        });
        reporter.info("Baselined the database at revision " + target.revision() + ": "
                + DriftResult.count(target.stamp().size(), "script") + " recorded as applied in "
                + target.stamp().table() + " ("
                + (proof.proven()
                        ? "proven: the database holds exactly that revision"
                        : differences + " accepted, listed in " + reportFile.shown())
                + "); " + Adoption.ALEMBIC_TABLE + " "
                + (dropped ? "dropped" : target.adoption().alembicRevisions() == null ? "absent" : "left in place")
                + " (report: " + reportFile.shown() + ")");
    }
}
