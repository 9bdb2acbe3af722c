package org.bemserver.schema.migrate;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.SchemaException;
import org.bemserver.schema.connect.DatabaseMessages;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Runs undo scripts down to a target: the plan is read and checked under Flyway's lock before any
 * SQL runs, then every undo script and the removal of its history row run in one transaction
 * (or, with {@code mixed}, one transaction per script).
 */
final class Downgrade {

    private static final String OUT_OF_SHARED_MEMORY = "53200";

    /**
     * At most this many undo scripts go to the server in one round trip; their progress lines are
     * printed when they have run, so a long downgrade still shows its progress.
     */
    private static final int SCRIPTS_TOGETHER = 100;

    /** One revision to undo. */
    private record Step(HistoryTable.Row row, ProjectScript script, Path undoFile, SqlScript undo) {

        Revision revision() {
            return new Revision(row.version(), row.description(), row.script());
        }
    }

    /** What a run will do; {@code problems} stop it before anything runs. */
    private record Plan(String from, String to, List<Step> steps, List<String> problems) {}

    private final DataSource dataSource;
    private final MigrationSettings settings;
    private final Reporter reporter;
    private final HistoryTable history;
    private final Map<MigrationVersion, ProjectScript> scripts;
    private final Map<MigrationVersion, List<MigrationFiles.UndoScript>> undoScripts;
    private final Placeholders placeholders;
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
        this.scripts = scan.versioned().stream()
                .collect(Collectors.toMap(ProjectScript::version, Function.identity(), (a, b) -> a, TreeMap::new));
        this.undoScripts = scan.undo();
        this.placeholders = placeholders;
    }

    DowngradeResult run(DowngradeTarget target, boolean dryRun, boolean mixed) {
        if (dryRun) {
            try (Connection connection = dataSource.getConnection()) {
                Plan plan = checked(plan(history.read(connection), target, mixed));
                return new DowngradeResult(plan.from(), plan.to(), revisions(plan), dryRunSql(plan, mixed));
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
                Plan plan = checked(plan(history.read(connection), target, false));
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
                return new DowngradeResult(plan.from(), plan.to(), revisions(plan), null);
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
            Plan plan = checked(plan(history.read(connection), target, true));
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
            return new DowngradeResult(plan.from(), plan.to(), revisions(plan), null);
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

    private Plan plan(List<HistoryTable.Row> rows, DowngradeTarget target, boolean mixed) {
        List<String> problems = new ArrayList<>();
        List<HistoryTable.Row> applied = new ArrayList<>();
        for (HistoryTable.Row row : effective(rows)) {
            if (!row.success()) {
                problems.add(
                        (row.version() == null ? row.script() : "revision " + row.version() + " (" + row.script() + ")")
                                + " is recorded as failed: repair the schema by hand, then delete its row from "
                                + history.displayName());
            } else if (row.version() != null && !"SCHEMA".equals(row.type())) {
                applied.add(row);
            }
        }
        // versions parsed once: a plan over 1000 revisions compares them a million times otherwise;
        // by identity, as each row is its own: hashing the records would hash all their fields
        Map<HistoryTable.Row, MigrationVersion> versions = new IdentityHashMap<>();
        applied.forEach(row -> versions.put(row, version(row)));
        Set<MigrationVersion> appliedVersions = new HashSet<>(versions.values());
        applied.sort(Comparator.comparing((HistoryTable.Row row) -> versions.get(row))
                .reversed());
        String from = applied.isEmpty() ? null : applied.get(0).version();
        MigrationVersion stop = stopAt(target, applied);
        List<HistoryTable.Row> undone = applied.stream()
                .filter(row -> stop == null || versions.get(row).compareTo(stop) > 0)
                .toList();
        if (undone.isEmpty()) {
            return new Plan(from, from, List.of(), problems);
        }
        for (HistoryTable.Row row : applied) {
            ProjectScript script = scripts.get(versions.get(row));
            if (script == null) {
                problems.add("revision " + row.version() + " is recorded as applied but " + row.script()
                        + " is not in bemserver.locations: restore the script");
            } else if ("SQL".equals(row.type())
                    && row.checksum() != null
                    && !row.checksum().equals(script.checksum())) {
                problems.add(MigrationStates.editedScript(script.script(), row.checksum(), script.checksum()));
            }
        }
        MigrationVersion current = versions.get(applied.get(0));
        if (stop != null && !appliedVersions.contains(stop)) {
            problems.add("the target revision " + stop.getVersion() + " was never applied to this database: choose an "
                    + "applied revision (db-history lists them)");
        }
        for (ProjectScript script : scripts.values()) {
            boolean between = (stop == null || script.version().compareTo(stop) > 0)
                    && script.version().compareTo(current) < 0;
            if (between && !appliedVersions.contains(script.version())) {
                problems.add("revision " + script.id() + " (" + script.script() + ") lies between the target and the "
                        + "current revision " + current.getVersion()
                        + " but was never applied: apply it (db-upgrade) or "
                        + "remove the script");
            }
        }
        List<Step> steps = new ArrayList<>();
        for (HistoryTable.Row row : undone) {
            if ("BASELINE".equals(row.type())) {
                problems.add("revision " + row.version() + " is a baseline, not a migration: there is nothing to undo "
                        + "below it; choose a target at or above " + row.version());
                continue;
            }
            List<MigrationFiles.UndoScript> files = undoScripts.getOrDefault(versions.get(row), List.of());
            if (files.isEmpty()) {
                problems.add("revision " + row.version() + " has no undo script: write U" + row.version() + "__"
                        + slug(row) + ".sql beside " + row.script());
                continue;
            }
            if (files.size() > 1) {
                problems.add("revision " + row.version() + " has " + files.size() + " undo scripts ("
                        + files.stream()
                                .map(f -> f.file().getFileName().toString())
                                .sorted()
                                .collect(Collectors.joining(", "))
                        + "): keep one");
                continue;
            }
            SqlScript undo;
            try {
                undo = read(files.get(0));
            } catch (ConfigurationException e) {
                problems.add(e.getMessage());
                continue;
            }
            for (SqlScript.Statement statement : undo.statements()) {
                String refusal = statement.refusal();
                if (refusal != null) {
                    problems.add(
                            undo.name() + " line " + statement.line() + " (" + statement.summary() + "): " + refusal);
                } else if (!mixed && !statement.canRunInTransaction()) {
                    problems.add(
                            undo.name() + " line " + statement.line() + " (" + statement.summary() + ") cannot run "
                                    + "in a transaction: rewrite it, or give each undo script its own transaction with "
                                    + "-Dbemserver.mixed=true");
                }
            }
            steps.add(new Step(row, scripts.get(version(row)), files.get(0).file(), undo));
        }
        String to = stop == null
                ? null
                : applied.stream()
                        .filter(row -> version(row).compareTo(stop) <= 0)
                        .map(HistoryTable.Row::version)
                        .findFirst()
                        .orElse(null);
        return new Plan(from, to, steps, problems);
    }

    /**
     * The rows that still stand: a {@code DELETE} row (written by Flyway's repair for a script that
     * was removed) or an {@code UNDO_SQL} row (Flyway Teams' undo) cancels the earlier rows of its
     * version, and is no migration itself.
     */
    private static List<HistoryTable.Row> effective(List<HistoryTable.Row> rows) {
        List<HistoryTable.Row> standing = new ArrayList<>();
        for (HistoryTable.Row row : rows) {
            if ("DELETE".equals(row.type()) || String.valueOf(row.type()).startsWith("UNDO")) {
                standing.removeIf(
                        earlier -> row.version() != null && row.version().equals(earlier.version()));
            } else {
                standing.add(row);
            }
        }
        return standing;
    }

    /** The highest version that stays, or {@code null} for base. */
    private MigrationVersion stopAt(DowngradeTarget target, List<HistoryTable.Row> applied) {
        if (target.steps() > 0) {
            if (target.steps() > applied.size()) {
                throw new ConfigurationException("Cannot undo " + target.steps() + " revision"
                        + (target.steps() > 1 ? "s" : "") + ": only " + applied.size() + " "
                        + (applied.size() == 1 ? "is" : "are")
                        + " applied (bemserver.revision=base undoes them all)");
            }
            return target.steps() == applied.size() ? null : version(applied.get(target.steps()));
        }
        if (target.revision() == null) {
            return null;
        }
        boolean known = scripts.containsKey(target.revision())
                || applied.stream().anyMatch(row -> version(row).equals(target.revision()));
        if (!known) {
            List<String> revisions =
                    scripts.keySet().stream().map(MigrationVersion::getVersion).toList();
            throw new ConfigurationException("Unknown revision "
                    + target.revision().getVersion()
                    + " (bemserver.revision): this project's revisions are "
                    + (revisions.isEmpty() ? "none" : RevisionStatus.shorten(revisions)) + ", or base, or -1, -2, ...");
        }
        return target.revision();
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

    private SqlScript read(MigrationFiles.UndoScript script) {
        String name = script.file().getFileName().toString();
        return SqlScript.parse(name, placeholders.replace(name, script.text()));
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

    private static List<Revision> revisions(Plan plan) {
        return plan.steps().stream().map(Step::revision).toList();
    }

    private static MigrationVersion version(HistoryTable.Row row) {
        return MigrationVersion.fromVersion(row.version());
    }

    private static String slug(HistoryTable.Row row) {
        return row.script().contains("__")
                ? row.script().substring(row.script().indexOf("__") + 2).replaceFirst("\\.sql$", "")
                : row.description().replace(' ', '_');
    }
}
