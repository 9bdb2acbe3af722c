package org.bemserver.schema.check;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.bemserver.schema.Background;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.OutputFile;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.Segments;
import org.bemserver.schema.catalog.CatalogWrites;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.catalog.TrackedSnapshot;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.diff.SchemaComparison;
import org.bemserver.schema.diff.SchemaDiff;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.schema.migrate.Revision;
import org.bemserver.schema.migrate.RevisionScripts;
import org.bemserver.schema.migrate.SqlFailures;
import org.bemserver.schema.migrate.SqlScript;

/**
 * {@code db-check}: proves that the migrations and the model build the same schema and default
 * rows, and with the stairway, that every undo script reverts its step. Two throwaway databases:
 * one upgraded from empty (one revision at a time with the stairway: upgrade, undo, upgrade
 * again), one set up from the model, built at once; then their snapshots are compared.
 */
public final class Check {

    /**
     * What upgrading a database by one revision costs, as a share of a stairway step (two runs of
     * the migration, one of the undo, two readings): about 1.3 against 16 ms at 1000 revisions.
     */
    private static final double CATCH_UP = 0.1;

    /** The fewest revisions a segment of the stairway climbs on a database of its own. */
    private static final int MINIMUM_SEGMENT = 25;

    private final ProjectBuilds builds;
    private final Reporter reporter;
    private final Segments segments;

    public Check(ProjectBuilds builds, Reporter reporter) {
        this(builds, reporter, Segments.ofMachine(MINIMUM_SEGMENT));
    }

    /** @param segments how a long stairway is cut to be climbed at once ({@link Segments}) */
    Check(ProjectBuilds builds, Reporter reporter, Segments segments) {
        this.builds = builds;
        this.reporter = reporter;
        this.segments = segments;
    }

    /**
     * Runs the check on databases of {@code throwaway}, three at once: the migrations upgraded,
     * the model set up, and the stairway (on a database of its own, as its steps leave sequences
     * advanced).
     */
    public CheckResult run(Throwaway throwaway, boolean stairway) {
        long start = System.nanoTime();
        var done = ProjectBuilds.both(
                () -> compared(throwaway, start), () -> stairway ? stairway(throwaway) : List.<CheckResult.Step>of());
        Compared model = done.first();
        return new CheckResult(model.revisions(), model.diff(), done.second(), stairway, model.time(), since(start));
    }

    /** The migrations at head, and the project's revisions. */
    private record Upgraded(List<Revision> revisions, Snapshot head) {}

    /** The migrations at head against the model, and how long building and comparing took. */
    private record Compared(List<Revision> revisions, SchemaDiff diff, Duration time) {}

    private Compared compared(Throwaway throwaway, long start) {
        var built = ProjectBuilds.both(() -> upgraded(throwaway), () -> modelled(throwaway));
        Upgraded migrations = built.first();
        SchemaDiff diff = SchemaComparison.compare(migrations.head(), built.second());
        return new Compared(migrations.revisions(), diff, since(start));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private Upgraded upgraded(Throwaway throwaway) {
        Database upgraded = throwaway.create("migrations");
        Migrations migrations = builds.migrations(upgraded, Reporter.quiet(reporter));
        List<Revision> revisions = revisions(migrations);
        upgrade(migrations, null);
        reporter.info("Upgraded a throwaway database from empty to head (" + count(revisions.size(), "revision") + ")");
        return new Upgraded(revisions, builds.snapshotForComparison(upgraded, ProjectBuilds.SESSION_DATABASE));
    }

    private Snapshot modelled(Throwaway throwaway) {
        Database modelled = throwaway.create("model");
        builds.setUp(modelled, Reporter.quiet(reporter));
        reporter.info("Set up a throwaway database from the model ("
                + count(builds.modelFiles().size(), "file") + ")");
        return builds.snapshotForComparison(modelled, ProjectBuilds.SESSION_DATABASE);
    }

    /**
     * Writes the report to {@code reportFile} and its JUnit XML form to {@code junitFile}, prints the
     * verdict, and on differences prints the report and fails.
     *
     * @param baseDirectory the project directory, against which the report file is shown
     */
    public static void finish(
            CheckResult result,
            boolean strictColumnOrder,
            Path reportFile,
            Path junitFile,
            Path baseDirectory,
            Reporter reporter) {
        List<String> report = result.report(strictColumnOrder);
        OutputFile file = new OutputFile(reportFile, baseDirectory, "check report");
        file.writeLines(report);
        result.junitReport(strictColumnOrder).write(new OutputFile(junitFile, baseDirectory, "JUnit XML check report"));
        String shown = file.shown();
        if (result.passed(strictColumnOrder)) {
            reporter.info("Check passed: the migrations and the model build the same schema and reference rows"
                    + (result.stairway() ? ", and every undo script reverts its revision" : "") + " (report: " + shown
                    + ")");
            return;
        }
        report.forEach(reporter::warn);
        int problems = result.problems(strictColumnOrder);
        throw new MigrationException("Check failed: " + problems + " difference" + (problems == 1 ? "" : "s")
                + " (listed above and in " + shown + "): change the model or the migrations until they agree, "
                + "or generate the missing revision with db-revision -Dbemserver.autogenerate=true");
    }

    /**
     * Each revision upgraded, undone and upgraded again; the schema after the undo must be the one
     * before the upgrade. The scripts run as migrations do, without Flyway and without history
     * (a run of Flyway per step would cost more than the steps). Sequence positions of reference
     * tables are left out: an undo deletes the rows its revision inserted, but does not rewind
     * their sequence.
     */
    private List<CheckResult.Step> stairway(Throwaway throwaway) {
        Database first = throwaway.create("stairway");
        Migrations migrations = builds.migrations(first, Reporter.quiet(reporter));
        List<RevisionScripts.Pair> pairs = RevisionScripts.read(migrations);
        // scripts that name the session's database (${flyway:database}) are read again for each
        // database the stairway climbs on: a segment's, or one built afresh after a failed undo
        Function<Database, List<RevisionScripts.Pair>> scripts = migrations.readsSession()
                ? database -> RevisionScripts.read(builds.migrations(database, Reporter.quiet(reporter)))
                : database -> pairs;
        // a long stairway is climbed in segments at once, each on a database of its own
        List<Integer> sizes = segments.sizes(pairs.size(), CATCH_UP);
        List<Background.Piece<List<CheckResult.Step>>> work = new ArrayList<>();
        int from = 0;
        for (int size : sizes) {
            int start = from;
            work.add(othersFailed ->
                    climb(throwaway, start == 0 ? first : null, pairs, scripts, start, start + size, othersFailed));
            from += size;
        }
        List<CheckResult.Step> steps = new ArrayList<>();
        Background.all("bemserver-stairway", "the stairway's segments", work).forEach(steps::addAll);
        return steps;
    }

    /**
     * Climbs revisions {@code from} (an index in {@code pairs}) to {@code to} (excluded) on
     * {@code database}, or, when it is {@code null}, on a new database first upgraded through the
     * revisions before them.
     *
     * @param pairs the scripts as read for {@code database}
     * @param scripts the scripts as read for another database
     */
    private List<CheckResult.Step> climb(
            Throwaway throwaway,
            Database database,
            List<RevisionScripts.Pair> pairs,
            Function<Database, List<RevisionScripts.Pair>> scripts,
            int from,
            int to,
            BooleanSupplier othersFailed) {
        try {
            Stairway stairs = new Stairway(throwaway, database, pairs, scripts);
            try {
                stairs.upTo(from, othersFailed);
                return stairs.climb(from, to, othersFailed);
            } finally {
                stairs.close();
            }
        } catch (SQLException e) {
            throw new EnvironmentException(
                    "Database error on the stairway's throwaway database (" + SqlFailures.describe(e) + ")", e);
        }
    }

    /** The database the stairway climbs, rebuilt when a step leaves it unusable. */
    private final class Stairway {

        private final Throwaway throwaway;
        /** The scripts as read for {@link #database}. */
        private List<RevisionScripts.Pair> pairs;
        /** The scripts as read for another database. */
        private final Function<Database, List<RevisionScripts.Pair>> scripts;

        private Database database;
        /** Runs the scripts. */
        private Connection connection;
        /** Reads the snapshots: a connection that runs no DDL keeps its statements prepared. */
        private Connection reader;

        private TrackedSnapshot tracked;
        /** The catalogs' write counts on {@link #connection} at the last reading: the next scans those written since. */
        private CatalogWrites writes = CatalogWrites.UNKNOWN;
        /**
         * Whether a script run since the last reading names {@code track_counts} or a statistics
         * reset, which could stop the counts or take them back.
         */
        private boolean uncounted;

        private int wholeReadings;
        private long scriptNanos;
        private long snapshotNanos;
        private long compareNanos;

        /**
         * @param database a new database, or {@code null} for one created here
         * @param pairs the scripts as read for {@code database}
         * @param scripts the scripts as read for another database
         */
        Stairway(
                Throwaway throwaway,
                Database database,
                List<RevisionScripts.Pair> pairs,
                Function<Database, List<RevisionScripts.Pair>> scripts)
                throws SQLException {
            this.throwaway = throwaway;
            this.scripts = scripts;
            if (database != null) {
                this.database = database;
                this.pairs = pairs;
            } else {
                this.database = throwaway.create("stairway");
                this.pairs = scripts.apply(this.database);
            }
            open();
        }

        /**
         * Upgrades the database through the revisions before index {@code from}, with no reading,
         * unless {@code othersFailed} stops it.
         */
        void upTo(int from, BooleanSupplier othersFailed) throws SQLException {
            for (int i = 0; i < from && !othersFailed.getAsBoolean(); i++) {
                migrate(pairs.get(i));
            }
            if (from > 0) {
                reporter.debug("Upgraded a stairway database to revision "
                        + pairs.get(from - 1).revision().id()
                        + ", to climb the revisions after it beside those before");
            }
        }

        /** Opens the connections to the stairway's database. */
        private void open() throws SQLException {
            connection = RevisionScripts.connect(database.dataSource(), builds.settings());
            try {
                reader = database.connect();
            } catch (RuntimeException e) {
                connection.close();
                throw e;
            }
        }

        /** The steps of revisions {@code from} to {@code to} (excluded), unless {@code othersFailed} stops them. */
        List<CheckResult.Step> climb(int from, int to, BooleanSupplier othersFailed) throws SQLException {
            List<CheckResult.Step> steps = new ArrayList<>();
            if (othersFailed.getAsBoolean()) {
                return steps;
            }
            track();
            for (int i = from; i < to && !othersFailed.getAsBoolean(); i++) {
                long stepStart = System.nanoTime();
                RevisionScripts.Pair pair = pairs.get(i);
                Revision revision = pair.revision();
                migrate(pair);
                SchemaDiff undone = SchemaDiff.NONE;
                String problem = null;
                if (pair.undo() == null) {
                    problem = "it has no undo script: write U" + revision.id() + "__"
                            + revision.script().substring(revision.script().indexOf("__") + 2);
                } else {
                    problem = run(pair.undo(), "the undo");
                    if (problem == null) {
                        TrackedSnapshot.Change change = refresh();
                        long start = System.nanoTime();
                        undone = SchemaComparison.compare(change.before(), change.after())
                                .withoutSequencePositions();
                        compareNanos += System.nanoTime() - start;
                        problem = run(pair.migration(), "upgrading again after the undo");
                    }
                }
                if (problem != null) {
                    // what the undo left stops the next steps: go on from a database built afresh
                    rebuild(i);
                } else {
                    // rows the revision inserts come back with new keys: the next step starts from here
                    refresh();
                }
                CheckResult.Step step = new CheckResult.Step(revision, undone, problem, since(stepStart));
                steps.add(step);
                reporter.info("Stairway " + revision.label() + " (" + (i + 1) + "/" + pairs.size() + "): "
                        + (step.reverts(true)
                                ? "the undo reverts it"
                                : step.reverts(false)
                                        ? "the undo reverts it, but for the column order"
                                        : "the undo does NOT revert it"));
            }
            String range = from < to
                    ? " (revisions " + pairs.get(from).revision().id() + " to "
                            + pairs.get(to - 1).revision().id() + ")"
                    : "";
            reporter.debug("Stairway time" + range + ": scripts " + scriptNanos / 1_000_000
                    + " ms, snapshots " + snapshotNanos / 1_000_000
                    + " ms (" + wholeReadings + " whole), comparisons " + compareNanos / 1_000_000 + " ms");
            return steps;
        }

        /** Runs a revision's migration; its failure stops the check, as it stops an upgrade. */
        private void migrate(RevisionScripts.Pair pair) throws SQLException {
            String problem = run(pair.migration(), "the migration");
            if (problem != null) {
                throw new MigrationException("Stairway of revision "
                        + pair.revision().label() + ": " + problem + ": fix the script and run db-check again");
            }
        }

        /** Runs a script; says what went wrong, or returns {@code null}. */
        private String run(SqlScript script, String what) throws SQLException {
            long start = System.nanoTime();
            uncounted |= script.statements().stream()
                    .anyMatch(s -> s.sql().contains("track_counts") || s.sql().contains("pg_stat_reset"));
            try {
                RevisionScripts.run(connection, script);
                return null;
            } catch (SqlScript.StatementFailure failure) {
                return what + " (" + script.name() + ") failed " + failure.where() + " ("
                        + SqlFailures.describe(failure.sqlException()) + ")";
            } finally {
                scriptNanos += System.nanoTime() - start;
            }
        }

        /** Reads the whole snapshot of the stairway's database, to be kept current from here. */
        private void track() throws SQLException {
            long start = System.nanoTime();
            // counted before the reading: nothing is written between the two
            writes = CatalogWrites.read(connection);
            uncounted = false;
            tracked = builds.tracked(reader);
            wholeReadings++;
            snapshotNanos += System.nanoTime() - start;
        }

        /** Reads what the scripts since the last reading changed. */
        private TrackedSnapshot.Change refresh() throws SQLException {
            long start = System.nanoTime();
            CatalogWrites now = CatalogWrites.read(connection);
            TrackedSnapshot.Change change = tracked.refresh(uncounted ? null : now.since(writes));
            writes = now;
            uncounted = false;
            wholeReadings += change.whole() ? 1 : 0;
            snapshotNanos += System.nanoTime() - start;
            return change;
        }

        private void rebuild(int upTo) throws SQLException {
            close();
            database = throwaway.create("stairway");
            pairs = scripts.apply(database);
            open();
            for (int i = 0; i <= upTo; i++) {
                migrate(pairs.get(i));
            }
            track();
        }

        void close() throws SQLException {
            try {
                reader.close();
            } finally {
                connection.close();
            }
        }
    }

    private static List<Revision> revisions(Migrations migrations) {
        return migrations.status().pending().stream()
                .filter(r -> r.id() != null)
                .toList();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Upgrades a throwaway database; a failure says where it happened. */
    private static void upgrade(Migrations migrations, String target) {
        try {
            migrations.upgrade(target, false);
        } catch (MigrationException e) {
            throw new MigrationException("Upgrading a throwaway database from empty failed: " + e.getMessage(), e);
        }
    }
}
