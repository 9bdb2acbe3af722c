package org.bemserver.schema.migrate;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.SchemaException;
import org.bemserver.schema.connect.DatabaseMessages;

/**
 * Applies the pending migrations up to a target: checks the scripts and the history first, prints
 * the plan of a dry run, and runs the plan with {@link DirectUpgrade} when it can run it exactly as
 * Flyway would, with Flyway's own migrate otherwise.
 */
final class Upgrade {

    private final DataSource dataSource;
    private final MigrationSettings settings;
    private final Reporter reporter;
    private final Locking locking;
    private final FlywayProject flyway;
    private final Supplier<Placeholders> placeholders;
    private final HistoryTable history;

    Upgrade(
            DataSource dataSource,
            MigrationSettings settings,
            Reporter reporter,
            Locking locking,
            FlywayProject flyway,
            Supplier<Placeholders> placeholders) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.reporter = reporter;
        this.locking = locking;
        this.flyway = flyway;
        this.placeholders = placeholders;
        this.history = new HistoryTable(settings.schemas().get(0), settings.table());
    }

    /** See {@link Migrations#upgrade}. */
    UpgradeResult run(String target, boolean dryRun, Runnable requireManaged) {
        MigrationFiles.Scan scan = flyway.scan();
        if (dryRun) {
            return run(target, null, requireManaged, scan);
        }
        UpgradeResult nothing = nothingToApply(target, scan);
        if (nothing != null) {
            return nothing;
        }
        try (MigrationLock run = MigrationLock.acquireRun(dataSource, history, locking)) {
            return run(target, run, requireManaged, scan);
        }
    }

    /**
     * The result of a run that finds the database at head, told from one read of the history
     * without the run lock, as most runs find it; {@code null} when there may be work or a problem
     * to report, which the run under the lock decides. A run racing with this one changes nothing
     * it says: its history rows are committed with its changes, all at once.
     */
    private UpgradeResult nothingToApply(String target, MigrationFiles.Scan scan) {
        List<Migration> all = DirectInfo.read(dataSource, history, scan);
        if (all == null) {
            return null;
        }
        RevisionStatus before = MigrationStates.status(all);
        if (before.current() == null
                || !before.pending().isEmpty()
                || !before.problems().isEmpty()) {
            return null;
        }
        Version targetVersion = targetVersion(target, before);
        if (targetVersion != null && Version.of(before.current()).compareTo(targetVersion) > 0) {
            return null;
        }
        return alreadyThere(before, false);
    }

    /** The result of a run with nothing to apply, said. */
    private UpgradeResult alreadyThere(RevisionStatus before, boolean dryRun) {
        reporter.info("Nothing to apply: the database is already at revision " + Revision.display(before.current())
                + (before.current() != null && before.current().equals(before.head()) ? " (head)" : ""));
        return new UpgradeResult(before.current(), before.current(), List.of(), dryRun ? "" : null);
    }

    /** The upgrade, under {@code run} (the run lock), or a dry run when {@code run} is {@code null}. */
    private UpgradeResult run(String target, MigrationLock run, Runnable requireManaged, MigrationFiles.Scan scan) {
        boolean dryRun = run == null;
        if (!scan.problems().isEmpty()) {
            throw new MigrationException(MigrationStates.problemsMessage(scan.problems()));
        }
        List<Migration> all = flyway.info(scan);
        RevisionStatus before = MigrationStates.status(all);
        if (!before.problems().isEmpty()) {
            throw new MigrationException(MigrationStates.problemsMessage(before.problems()));
        }
        if (before.current() == null) {
            // nothing recorded: a database that holds a schema is one to adopt, not to build
            requireManaged.run();
        }
        if (before.isAhead()) {
            reporter.info("Nothing to apply: the database's revision " + before.current()
                    + " is not in this project (its head is " + Revision.display(before.head())
                    + ")");
            return new UpgradeResult(before.current(), before.current(), List.of(), dryRun ? "" : null);
        }
        Version targetVersion = targetVersion(target, before);
        List<Migration> plan = MigrationStates.plan(all, targetVersion);
        if (plan.isEmpty()) {
            if (targetVersion != null
                    && before.current() != null
                    && Version.of(before.current()).compareTo(targetVersion) > 0) {
                throw new ConfigurationException("The database is at revision " + before.current()
                        + ", above the target " + targetVersion.id()
                        + ": db-upgrade only goes up; run db-downgrade -Dbemserver.revision="
                        + targetVersion.id() + " to go down");
            }
            return alreadyThere(before, dryRun);
        }
        List<Revision> revisions = plan.stream().map(Migration::revision).toList();
        List<DirectUpgrade.Step> steps = DirectUpgrade.read(plan, scan, settings, placeholders.get());
        if (dryRun) {
            String after = plan.stream()
                    .map(Migration::id)
                    .filter(Objects::nonNull)
                    .reduce((a, b) -> b)
                    .orElse(before.current());
            return new UpgradeResult(before.current(), after, revisions, dryRunSql(steps));
        }
        DirectUpgrade direct = DirectUpgrade.of(steps, scan);
        if (direct == null) {
            flywayMigrate(targetVersion, new Progress(plan.size()));
            return new UpgradeResult(
                    before.current(), MigrationStates.status(flyway.info()).current(), revisions, null);
        }
        return new UpgradeResult(before.current(), applyDirectly(direct, before.current(), run), revisions, null);
    }

    private Version targetVersion(String target, RevisionStatus status) {
        if (target == null || target.isBlank() || target.strip().equalsIgnoreCase(Migrations.HEAD)) {
            return null;
        }
        Version version;
        try {
            version = Version.of(target.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("bemserver.revision '" + target + "' is not a revision: use one of "
                    + RevisionStatus.shorten(status.known()) + " or head");
        }
        for (String known : status.known()) {
            if (Version.of(known).equals(version)) {
                return version;
            }
        }
        throw new ConfigurationException(
                "Unknown revision " + target.strip() + " (bemserver.revision): this project's revisions are "
                        + (status.known().isEmpty() ? "none" : RevisionStatus.shorten(status.known())) + ", or head");
    }

    /** Flyway's own migrate, up to {@code target} ({@code null}: all). */
    private void flywayMigrate(Version target, Progress progress) {
        try {
            flyway.migrate(target, progress::applying);
        } catch (FlywayProject.FailedMigration e) {
            throw failedMigration(e);
        }
    }

    /**
     * Runs the plan with {@link DirectUpgrade}, holding Flyway's lock for the rest of the run. When
     * the history table does not exist yet, it is created with the first revision if the schemas
     * are there and empty; otherwise Flyway applies the first revision itself, so that the schemas
     * it creates and its refusal of a non-empty schema are Flyway's own.
     */
    private String applyDirectly(DirectUpgrade direct, String current, MigrationLock run) {
        List<DirectUpgrade.Step> steps = direct.steps();
        Progress progress = new Progress(steps.size());
        int first = 0;
        String reached = current;
        boolean createHistory = false;
        try (Connection connection = dataSource.getConnection()) {
            run.holdFlywayLock(history);
            if (!history.exists(connection)) {
                createHistory = DirectUpgrade.canStartFromScratch(connection, settings.schemas());
                if (!createHistory) {
                    run.releaseFlywayLock(history);
                    flywayMigrate(steps.get(0).migration().version(), progress);
                    run.holdFlywayLock(history);
                    first = 1;
                    reached = steps.get(0).migration().id();
                }
            }
            return direct.run(
                    connection,
                    first,
                    reached,
                    history,
                    createHistory,
                    settings.schemas().get(0),
                    locking,
                    // a run of one revision sends its commit alone: no check to take
                    steps.size() - first > 1 ? run.heldCheck() : null,
                    new DirectUpgrade.Listener() {
                        @Override
                        public void applying(DirectUpgrade.Step step) {
                            progress.applying(step.revision());
                        }

                        @Override
                        public RuntimeException failed(
                                DirectUpgrade.Step step, SqlScript.StatementFailure failure, String stays) {
                            return failedMigration(
                                    settings.display(step.file()), failure.where(), failure.sqlException(), stays);
                        }
                    });
        } catch (SQLException e) {
            throw new EnvironmentException(
                    "Cannot read " + history.displayName() + " (" + SqlFailures.describe(e)
                            + "); nothing was changed: check the connection and run db-upgrade again",
                    e);
        }
    }

    /** The scripts of a dry run, each in the transaction Flyway would give it. */
    private String dryRunSql(List<DirectUpgrade.Step> steps) {
        StringBuilder sql = new StringBuilder();
        int index = 0;
        for (DirectUpgrade.Step step : steps) {
            Migration migration = step.migration();
            String label = migration.revision().label() + " (" + ++index + "/" + steps.size() + ")";
            Path file = Path.of(migration.physicalLocation());
            reporter.info("Would apply " + label + " from " + settings.display(file));
            SqlScript script = step.script();
            if (script == null) {
                continue;
            }
            boolean transactional = script.runsInTransaction();
            sql.append("\n-- Applying ")
                    .append(label)
                    .append(": ")
                    .append(migration.script())
                    .append('\n');
            sql.append(transactional ? "BEGIN;\n" : "-- runs outside a transaction\n");
            for (SqlScript.Statement statement : script.statements()) {
                sql.append(statement.terminated()).append('\n');
            }
            sql.append("-- Flyway records ")
                    .append(migration.version() == null ? "this script" : "revision " + migration.id())
                    .append(" in ")
                    .append(settings.schemas().get(0))
                    .append('.')
                    .append(settings.table())
                    .append('\n');
            if (transactional) {
                sql.append("COMMIT;\n");
            }
        }
        return sql.toString();
    }

    /** A migration applied by Flyway's own migrate failed. */
    private SchemaException failedMigration(FlywayProject.FailedMigration e) {
        Throwable cause = e.getCause();
        StringBuilder message = new StringBuilder("Migration ")
                .append(scriptPath(e.migration()))
                .append(" failed");
        if (e.line() > 0) {
            message.append(" at line ").append(e.line());
        }
        String sqlState = SqlFailures.sqlState(cause);
        message.append(" (");
        if (sqlState != null) {
            message.append("SQL state ").append(sqlState).append(": ");
        }
        message.append(DatabaseMessages.of(cause)).append(")");
        SQLException sql = SqlFailures.sqlException(cause);
        String advice = sql == null ? null : SqlFailures.environmentAdvice(sql, locking);
        RevisionStatus after = MigrationStates.status(flyway.info());
        if (after.problems().isEmpty()) {
            message.append("; the database stays at revision ")
                    .append(Revision.display(after.current()))
                    .append(advice != null ? ": " + advice : ": fix the script and run db-upgrade again");
        } else {
            message.append("; it ran outside a transaction, so its statements before that line stay applied and Flyway "
                            + "recorded it as failed: repair the schema by hand, delete the failed row from ")
                    .append(settings.schemas().get(0))
                    .append('.')
                    .append(settings.table())
                    .append(", then run db-upgrade again");
        }
        return new MigrationException(message.toString(), cause);
    }

    /** A script run by {@link DirectUpgrade} failed; its transaction was rolled back. */
    private SchemaException failedMigration(String script, String where, SQLException e, String stays) {
        String advice = SqlFailures.environmentAdvice(e, locking);
        return new MigrationException(
                "Migration " + script + " failed " + where + " (" + SqlFailures.describe(e)
                        + "); the database stays at revision " + Revision.display(stays)
                        + (advice != null ? ": " + advice : ": fix the script and run db-upgrade again"),
                e);
    }

    private String scriptPath(Migration migration) {
        return migration.hasFile() ? settings.display(Path.of(migration.physicalLocation())) : migration.script();
    }

    /** Prints one line before each migration, whoever applies it. */
    private final class Progress {

        private final int total;
        private int done;

        Progress(int total) {
            this.total = total;
        }

        void applying(Revision revision) {
            done++;
            reporter.info("Applying " + revision.label() + " (" + done + "/" + total + ")");
        }
    }
}
