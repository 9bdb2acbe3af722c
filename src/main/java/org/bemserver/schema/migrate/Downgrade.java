package org.bemserver.schema.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.SchemaException;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseMessages;
import org.bemserver.schema.migrate.DowngradePlanner.Plan;
import org.bemserver.schema.migrate.DowngradePlanner.Step;

/**
 * Runs undo scripts down to a target: the plan ({@link DowngradePlanner}) is read and checked under
 * Flyway's lock before any SQL runs, then every undo script and the removal of its history row run
 * in one transaction (or, with {@code mixed}, one transaction per script).
 */
final class Downgrade {

    private static final String OUT_OF_SHARED_MEMORY = "53200";

    /**
     * At most this many undo scripts go to the server in one round trip; their progress lines are
     * printed when they have run, so a long downgrade still shows its progress.
     */
    private static final int SCRIPTS_TOGETHER = 100;

    private final DataSource dataSource;
    private final MigrationSettings settings;
    private final Reporter reporter;
    private final HistoryTable history;
    private final DowngradePlanner planner;
    private final Locking locking;

    Downgrade(
            DataSource dataSource,
            MigrationSettings settings,
            Reporter reporter,
            MigrationFiles.Scan scan,
            Placeholders placeholders,
            Locking locking) {
        this.locking = locking;
        this.dataSource = dataSource;
        this.settings = settings;
        this.reporter = reporter;
        this.history = new HistoryTable(settings.schemas().get(0), settings.table());
        this.planner = new DowngradePlanner(history, scan, placeholders, settings);
    }

    DowngradeResult run(DowngradeTarget target, boolean dryRun, boolean mixed) {
        if (dryRun) {
            try (Database.Borrowed borrowed = Database.borrow(dataSource)) {
                Plan plan = checked(planner.plan(history.read(borrowed.connection()), target, mixed));
                return new DowngradeResult(plan.from(), plan.to(), plan.revisions(), dryRunSql(plan, mixed));
            } catch (SQLException e) {
                throw databaseError(e);
            }
        }
        return mixed ? runMixed(target) : runAtomically(target);
    }

    /** Everything in one transaction, under Flyway's transaction-scoped advisory lock. */
    private DowngradeResult runAtomically(DowngradeTarget target) {
        try {
            return LockedTransaction.run(dataSource, history, settings.schemas().get(0), locking, connection -> {
                Plan plan = checked(planner.plan(history.read(connection), target, false));
                List<Step> steps = plan.steps();
                int next = 0;
                while (next < steps.size()) {
                    int end = togetherUntil(steps, next);
                    if (end - next > 1 && runTogether(connection, steps.subList(next, end), plan)) {
                        for (; next < end; next++) {
                            reporter.info(progress(steps, next));
                        }
                        continue;
                    }
                    // alone, or refused together: one at a time, which names the statement refused
                    for (int last = Math.max(end, next + 1); next < last; next++) {
                        reporter.info(progress(steps, next));
                        execute(connection, steps.get(next), plan, Mode.ONE_TRANSACTION);
                    }
                }
                if (!plan.steps().isEmpty()) {
                    history.delete(
                            connection, plan.steps().stream().map(Step::row).toList());
                }
                return new DowngradeResult(plan.from(), plan.to(), plan.revisions(), null);
            });
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    /**
     * One transaction per undo script; scripts with statements PostgreSQL cannot run in a
     * transaction run statement by statement. The lock is a session lock held on a connection of
     * its own, so that {@code CREATE INDEX CONCURRENTLY} does not wait for the lock's transaction.
     */
    private DowngradeResult runMixed(DowngradeTarget target) {
        try (MigrationLock run = MigrationLock.acquireRun(dataSource, history, locking);
                Connection connection = dataSource.getConnection()) {
            run.holdFlywayLock(history);
            Plan plan = checked(planner.plan(history.read(connection), target, true));
            LockedTransaction.useDefaultSchema(connection, settings.schemas().get(0));
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET " + locking.lockTimeoutSetting());
            }
            int index = 0;
            for (Step step : plan.steps()) {
                reporter.info("Reverting " + step.revision().label() + " (" + ++index + "/"
                        + plan.steps().size() + ")");
                boolean transactional = step.undo().nonTransactional().isEmpty();
                connection.setAutoCommit(!transactional);
                try {
                    execute(connection, step, plan, transactional ? Mode.SCRIPT_TRANSACTION : Mode.NO_TRANSACTION);
                    history.delete(connection, List.of(step.row()));
                    if (transactional) {
                        connection.commit();
                    }
                } finally {
                    if (transactional && !connection.getAutoCommit()) {
                        LockedTransaction.rollbackQuietly(connection);
                    }
                }
            }
            return new DowngradeResult(plan.from(), plan.to(), plan.revisions(), null);
        } catch (SQLException e) {
            throw databaseError(e);
        }
    }

    private static String progress(List<Step> steps, int index) {
        return "Reverting " + steps.get(index).revision().label() + " (" + (index + 1) + "/" + steps.size() + ")";
    }

    /** The end (exclusive) of the steps from {@code from} on that can go to the server together. */
    private static int togetherUntil(List<Step> steps, int from) {
        int end = from;
        while (end < steps.size()
                && end - from < SCRIPTS_TOGETHER
                && steps.get(end).undo().canRunTogether()) {
            end++;
        }
        return end;
    }

    /** Runs undo scripts in one round trip; {@code false} when the database refused one and nothing of them is left. */
    private boolean runTogether(Connection connection, List<Step> together, Plan plan) {
        try {
            return SavepointRunner.runTogether(
                    connection, together.stream().map(Step::undo).toList());
        } catch (SQLException e) {
            String advice = SqlFailures.environmentAdvice(e, locking);
            throw new MigrationException(
                    "Undo scripts " + settings.display(together.get(0).undoFile()) + " to "
                            + settings.display(together.get(together.size() - 1).undoFile()) + " failed ("
                            + SqlFailures.describe(e)
                            + "); nothing was changed: the database stays at revision " + Revision.display(plan.from())
                            + (advice == null ? "" : "; " + advice),
                    e);
        }
    }

    /** How the statements of an undo script run. */
    private enum Mode {
        /** All scripts of the run in one transaction. */
        ONE_TRANSACTION,
        /** This script in a transaction of its own ({@code mixed}). */
        SCRIPT_TRANSACTION,
        /** Statement by statement, outside any transaction ({@code mixed}, non-transactional statements). */
        NO_TRANSACTION
    }

    private void execute(Connection connection, Step step, Plan plan, Mode mode) throws SQLException {
        String searchPath = step.undo().changesSession() ? LockedTransaction.searchPath(connection) : null;
        try {
            step.undo().run(connection);
        } catch (SqlScript.StatementFailure failure) {
            throw failedUndo(connection, step, failure, plan, mode);
        }
        if (searchPath != null) {
            LockedTransaction.restoreSession(connection, searchPath);
        }
    }

    private Plan checked(Plan plan) {
        if (!plan.problems().isEmpty()) {
            List<String> problems = plan.problems();
            throw new MigrationException(
                    (problems.size() == 1
                            ? "Cannot downgrade, nothing was changed: " + problems.get(0)
                            : "Cannot downgrade, nothing was changed; " + problems.size() + " problems: "
                                    + String.join("; ", problems)));
        }
        if (plan.steps().isEmpty()) {
            reporter.info("Nothing to undo: the database is at revision " + Revision.display(plan.from())
                    + (plan.from() == null ? "" : ", at or below the target"));
        }
        return plan;
    }

    /** The SQL a run would execute, runnable as is with psql. */
    private String dryRunSql(Plan plan, boolean mixed) {
        StringBuilder sql = new StringBuilder();
        String lock = "SELECT pg_advisory_xact_lock(" + history.lockKey() + "); -- Flyway's lock on "
                + history.displayName() + "\n";
        if (!plan.steps().isEmpty()) {
            // the search path Flyway gives migrations: the first managed schema first
            sql.append("SELECT set_config('search_path', '")
                    .append(Identifiers.quoted(settings.schemas().get(0)).replace("'", "''"))
                    .append(",' || current_setting('search_path'), false);\n");
        }
        if (!mixed && !plan.steps().isEmpty()) {
            sql.append("BEGIN;\n").append(lock);
        }
        int index = 0;
        for (Step step : plan.steps()) {
            String label = step.revision().label() + " (" + ++index + "/"
                    + plan.steps().size() + ")";
            reporter.info("Would revert " + label + " with " + settings.display(step.undoFile()));
            boolean ownTransaction = mixed && step.undo().nonTransactional().isEmpty();
            sql.append("\n-- Reverting ")
                    .append(label)
                    .append(": ")
                    .append(step.undo().name())
                    .append('\n');
            if (ownTransaction) {
                sql.append("BEGIN;\n").append(lock);
            }
            if (mixed && !ownTransaction) {
                sql.append("SELECT pg_advisory_lock(").append(history.lockKey()).append(");\n");
            }
            for (SqlScript.Statement statement : step.undo().statements()) {
                sql.append(statement.terminated()).append('\n');
            }
            if (mixed) {
                sql.append(history.deleteStatement(List.of(step.row()))).append(";\n");
            }
            if (ownTransaction) {
                sql.append("COMMIT;\n");
            } else if (mixed) {
                sql.append("SELECT pg_advisory_unlock(")
                        .append(history.lockKey())
                        .append(");\n");
            }
        }
        if (!mixed && !plan.steps().isEmpty()) {
            sql.append('\n')
                    .append(history.deleteStatement(
                            plan.steps().stream().map(Step::row).toList()))
                    .append(";\n");
            sql.append("COMMIT;\n");
        }
        return sql.toString();
    }

    private SchemaException failedUndo(
            Connection connection, Step step, SqlScript.StatementFailure failure, Plan plan, Mode mode) {
        String file = settings.display(step.undoFile());
        SqlScript.Statement statement = failure.statement();
        SQLException e = failure.sqlException();
        if (OUT_OF_SHARED_MEMORY.equals(e.getSQLState()) && mode == Mode.ONE_TRANSACTION) {
            LockedTransaction.rollbackQuietly(connection);
            return new MigrationException(
                    "Undoing " + plan.steps().size() + " revision"
                            + (plan.steps().size() > 1 ? "s" : "")
                            + " in one transaction needs more locks than the server's lock table holds (out of shared memory at "
                            + file + " line " + statement.line() + ", max_locks_per_transaction = "
                            + setting(connection, "max_locks_per_transaction")
                            + "); nothing was changed: raise max_locks_per_transaction on the server, "
                            + "undo fewer revisions per run (e.g. -Dbemserver.revision=-1), or give each undo script its own "
                            + "transaction with -Dbemserver.mixed=true",
                    e);
        }
        String version = step.row().version();
        String stays = switch (mode) {
            case ONE_TRANSACTION ->
                "nothing was changed: the database stays at revision " + Revision.display(plan.from());
            case SCRIPT_TRANSACTION ->
                "revision " + version + " was not undone: the database is at revision " + version
                        + " (the revisions above it were undone, each in its own transaction)";
            case NO_TRANSACTION ->
                "this script runs outside a transaction, so its statements before line "
                        + statement.line() + " stay applied: repair the schema by hand; revision " + version
                        + " stays recorded as applied";
        };
        String advice = SqlFailures.environmentAdvice(e, locking);
        return new MigrationException(
                "Undo script " + file + " failed " + failure.where() + " (" + SqlFailures.describe(e) + "); " + stays
                        + (advice == null ? "" : "; " + advice),
                e);
    }

    private String setting(Connection connection, String name) {
        LockedTransaction.rollbackQuietly(connection);
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            return result.next() ? result.getString(1) : "?";
        } catch (SQLException e) {
            return "?";
        }
    }

    private SchemaException databaseError(SQLException e) {
        return new EnvironmentException(
                "Database error during db-downgrade (" + DatabaseMessages.of(e)
                        + (e.getSQLState() == null ? "" : ", SQL state " + e.getSQLState())
                        + "): the transaction in progress was "
                        + "rolled back; run db-current to see where the database stands, then run db-downgrade again",
                e);
    }
}
