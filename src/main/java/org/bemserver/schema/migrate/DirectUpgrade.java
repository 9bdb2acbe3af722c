package org.bemserver.schema.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * Applies pending versioned SQL migrations the way Flyway does (one transaction per migration,
 * holding the script and its history row; the row written exactly as Flyway writes it), without
 * Flyway's per-migration bookkeeping: Flyway re-reads the history, switches roles and takes its
 * lock around every migration, about 18 statements over two connections, which costs more than
 * the DDL of a typical revision.
 *
 * <p>It runs only plans it can run exactly as Flyway would ({@link #of} says which); anything else
 * (repeatable scripts, statements outside a transaction, {@code COPY ... FROM stdin} with inline
 * data, transaction control, a per-script {@code .conf} file that sets anything, callbacks) goes through Flyway's own
 * migrate.
 */
final class DirectUpgrade {

    /** One migration, read and parsed before anything runs, with its settings ({@code null} without a file). */
    record Step(Migration migration, Path file, SqlScript script, ScriptConfig config) {

        Revision revision() {
            return migration.revision();
        }
    }

    /** At most this many revisions go to the server in one round trip, each in its own transaction. */
    private static final int REVISIONS_TOGETHER = 50;

    /** Said before the last commit of a run: see {@link #run}. */
    private static final String RESET = "RESET synchronous_commit";

    private final List<Step> steps;

    private DirectUpgrade(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * Reads and parses the scripts of the plan, as db-upgrade and Flyway run them (placeholders,
     * {@code .conf} files); a script that db-upgrade cannot run as written
     * ({@link SqlScript#migrationProblem}) stops the run here, before anything runs.
     */
    static List<Step> read(
            List<Migration> plan, MigrationFiles.Scan scan, MigrationSettings settings, Placeholders placeholders) {
        // the text each script was read with at the scan, whose checksum the plan was checked against
        Map<Path, ProjectScript> read = new HashMap<>();
        Map<String, ProjectScript> byName = new HashMap<>();
        scan.versioned().forEach(script -> {
            read.put(script.file(), script);
            byName.put(script.script(), script);
        });
        List<Step> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Migration migration : plan) {
            if (migration.kind() != Migration.Kind.SQL || !migration.hasFile()) {
                steps.add(new Step(migration, null, null, null));
                continue;
            }
            Path file = Path.of(migration.physicalLocation());
            // Flyway's path may be written otherwise than the scan's; its name in its location is the same
            ProjectScript project = read.getOrDefault(file, byName.get(migration.script()));
            String text;
            if (project != null) {
                text = project.text();
            } else {
                // a repeatable script
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new EnvironmentException("Cannot read " + settings.display(file) + ": " + e.getMessage(), e);
                }
            }
            ScriptConfig config = project != null
                    ? project.config()
                    : scan.repeatableConfigs().getOrDefault(file, ScriptConfig.DEFAULT);
            SqlScript script =
                    config.parse(migration.script(), file.getFileName().toString(), text, placeholders, true);
            String problem = script.migrationProblem(settings.mixed());
            if (problem != null) {
                problems.add(problem);
            }
            steps.add(new Step(migration, file, script, config));
        }
        if (!problems.isEmpty()) {
            throw new MigrationException(
                    (problems.size() == 1 ? problems.get(0) : String.join("; ", problems)) + "; nothing was changed");
        }
        return steps;
    }

    /**
     * The steps as a run this class makes exactly as Flyway would, or {@code null} when one of them
     * needs Flyway itself.
     */
    static DirectUpgrade of(List<Step> read, MigrationFiles.Scan scan) {
        if (!scan.callbacks().isEmpty()) {
            return null;
        }
        for (Step step : read) {
            Migration migration = step.migration();
            if (migration.version() == null || step.script() == null) {
                return null;
            }
            if (!step.config().equals(ScriptConfig.DEFAULT)) {
                return null;
            }
            SqlScript script = step.script();
            if (!script.runsInTransaction()
                    || script.statements().stream().anyMatch(st -> st.refusal() != null || st.isCopyFromStdin())) {
                // outside a transaction, COPY ... FROM stdin with its data, BEGIN/COMMIT: Flyway's business
                return null;
            }
        }
        return new DirectUpgrade(read);
    }

    /**
     * Whether every managed schema exists and holds nothing at all (no relation, routine or type),
     * so that creating the history table here does what Flyway's migrate would do: Flyway creates
     * missing schemas (and records that) and refuses non-empty ones without a history table, and
     * is left to do both itself.
     */
    static boolean canStartFromScratch(Connection connection, List<String> schemas) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) = cardinality(?::text[]) "
                + "FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY (?::text[]) "
                + "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid) "
                + "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid) "
                + "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid)")) {
            Array names = connection.createArrayOf("text", schemas.toArray());
            query.setArray(1, names);
            query.setArray(2, names);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /**
     * After a failure, when revisions of the run were committed without waiting for the disk:
     * waits until they are on it. A commit that waits (the session's own setting again) for a
     * transaction that took an id writes its record and flushes the log up to it, and so every
     * commit before it. A connection already lost is left as it is: the failure reported says to
     * look where the database stands.
     */
    private static void flushQuietly(Connection connection, boolean needed) {
        if (!needed) {
            return;
        }
        try {
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute(RESET + "; SELECT pg_catalog.txid_current()");
            }
        } catch (SQLException e) {
            // the connection is gone
        }
    }

    /** What {@link #runTogether} did: the revisions committed, and the failure of the next one's commit, or {@code null}. */
    private record Ran(int committed, SQLException commitFailure) {}

    /**
     * The end (exclusive) of the steps from {@code from} on that go to the server together: those
     * whose statements pgjdbc can send together, up to {@link #REVISIONS_TOGETHER}; only
     * {@code from} when there is no check of the run's lock session ({@code lockHeld}).
     */
    private int togetherUntil(int from, String lockHeld) {
        int end = from;
        while (lockHeld != null
                && end < steps.size()
                && end - from < REVISIONS_TOGETHER
                && steps.get(end).script().canRunTogether()) {
            end++;
        }
        return Math.max(end, from + 1);
    }

    /**
     * Runs the steps {@code from} to {@code to} (exclusive) in one round trip, each in a
     * transaction of its own holding its script and its history row, as they run one by one, and
     * returns how many were committed: all of them, or those before the one the database refused.
     * Its transaction was rolled back; the caller runs it again alone, which names the statement
     * refused, or throws the failure of its commit ({@link Ran#commitFailure}).
     *
     * <p>Before each commit, {@code lockHeld} checks that the run's lock session is still there. A
     * server keeps running what it received after its client died, until it next waits for the
     * client; the lock's session, which waits idle, ends as soon as the server sees its client
     * gone, and with it the run's locks. So a build killed mid-script leaves that revision rolled
     * back and commits none after it, as when each commit waits for its own round trip, but for a
     * check that runs in the milliseconds before the lock's session has ended: the revision it
     * guards commits, whole with its history row.
     */
    private Ran runTogether(
            Connection connection,
            HistoryTable.Writer writer,
            int from,
            int to,
            boolean flushLast,
            String lockHeld,
            String reached)
            throws SQLException {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            Migration migration = steps.get(i).migration();
            text.append(i == from ? "" : "BEGIN;\n")
                    .append(SavepointRunner.statements(List.of(steps.get(i).script())))
                    .append(writer.appliedSql(
                            i - from,
                            migration.id(),
                            migration.description(),
                            migration.script(),
                            migration.checksum()))
                    .append(";\n")
                    .append(lockHeld)
                    .append(";\n")
                    .append(flushLast && i == steps.size() - 1 ? RESET + ";\n" : "")
                    .append("COMMIT;\n");
        }
        try (Statement statement = SqlScript.jdbcStatement(connection)) {
            statement.execute(text.toString());
            writer.written(to - from);
            return new Ran(to - from, null);
        } catch (SQLException e) {
            // what was refused ended the round trip: the revisions before it are committed
            int committed;
            boolean commitFailed;
            try {
                commitFailed = !connection.isClosed()
                        && connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE;
                connection.rollback();
                committed = writer.writtenSince();
            } catch (SQLException lost) {
                e.addSuppressed(lost);
                throw new EnvironmentException(
                        "The connection to the database was lost while applying revisions "
                                + steps.get(from).migration().id() + " to "
                                + steps.get(to - 1).migration().id()
                                + " (" + SqlFailures.describe(e) + "); each is committed with its history row or not "
                                + "at all, so the database is at revision " + Revision.display(reached)
                                + " or one of these: run db-current to see where it stands, then run db-upgrade again",
                        e);
            }
            String stays = committed == 0
                    ? reached
                    : steps.get(from + committed - 1).migration().id();
            boolean held = true;
            try (Statement check = connection.createStatement()) {
                check.execute(lockHeld);
            } catch (SQLException gone) {
                e.addSuppressed(gone);
                held = false;
            }
            connection.rollback();
            if (!held) {
                flushQuietly(connection, flushLast);
                throw new EnvironmentException(
                        "The migration lock was released during the run (the connection holding it was closed "
                                + "or terminated); the revision in progress was rolled back and the database stays at "
                                + "revision " + Revision.display(stays) + ": run db-upgrade again",
                        e);
            }
            // when a commit was refused, the transaction it ended left nothing
            return new Ran(committed, commitFailed ? e : null);
        }
    }

    /** The migrations, in the order they run. */
    List<Step> steps() {
        return steps;
    }

    /** What happens around each step, for the caller's messages. */
    interface Listener {
        /** Before the step runs. */
        void applying(Step step);

        /** The step's script failed; the transaction was rolled back, {@code current} is where the database stays. */
        RuntimeException failed(Step step, SqlScript.StatementFailure failure, String current);
    }

    /**
     * Runs {@code steps} from {@code first} on {@code connection}, which must be reserved for it,
     * under Flyway's lock held by the caller, and returns the revision reached.
     *
     * @param current the revision the database is at before the first step
     * @param createHistory whether to create the history table first (see {@link #canStartFromScratch})
     * @param lockHeld a statement that fails unless the run's lock session is still there
     *     ({@link MigrationLock#heldCheck}), which lets revisions go to the server several to a
     *     round trip, or {@code null}: one at a time
     */
    String run(
            Connection connection,
            int first,
            String current,
            HistoryTable history,
            boolean createHistory,
            String defaultSchema,
            Locking locking,
            String lockHeld,
            Listener listener) {
        String reached = current;
        // each revision's commit but the last returns without waiting for the disk: PostgreSQL
        // writes its log in order, so the last commit's flush (or the one after a failure) makes
        // every revision before it durable; a server crash meanwhile leaves the database at an
        // earlier revision, each revision's script and history row still together
        boolean flushLast = steps.size() - first > 1;
        try {
            LockedTransaction.useDefaultSchema(connection, defaultSchema);
            String searchPath = LockedTransaction.searchPath(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute(
                        "SET " + locking.lockTimeoutSetting() + (flushLast ? "; SET synchronous_commit = off" : ""));
            }
            connection.setAutoCommit(false);
            if (createHistory) {
                // in the first migration's transaction: a failure leaves the database as it was
                try {
                    history.createIfMissing(connection);
                } catch (SQLException e) {
                    LockedTransaction.rollbackQuietly(connection);
                    String advice = SqlFailures.environmentAdvice(e, locking);
                    throw new EnvironmentException(
                            "Cannot create the history table " + history.displayName() + " ("
                                    + SqlFailures.describe(e) + "); nothing was changed: "
                                    + (advice != null ? advice : "check the database and run db-upgrade again"),
                            e);
                }
            }
            try (HistoryTable.Writer writer = history.writer(connection)) {
                int at = first;
                // a revision of a round trip that failed runs again alone, so that its failure is named
                int alone = -1;
                while (at < steps.size()) {
                    int end = at == alone || (createHistory && at == first) ? at + 1 : togetherUntil(at, lockHeld);
                    if (end - at > 1) {
                        Ran ran = runTogether(connection, writer, at, end, flushLast, lockHeld, reached);
                        for (Step step : steps.subList(at, at + ran.committed())) {
                            listener.applying(step);
                            reached = step.migration().id();
                        }
                        if (ran.commitFailure() != null) {
                            throw ran.commitFailure();
                        }
                        if (ran.committed() < end - at) {
                            alone = at + ran.committed();
                        }
                        at += ran.committed();
                        continue;
                    }
                    Step step = steps.get(at);
                    listener.applying(step);
                    long start = System.nanoTime();
                    try {
                        step.script().run(connection);
                    } catch (SqlScript.StatementFailure failure) {
                        LockedTransaction.rollbackQuietly(connection);
                        flushQuietly(connection, flushLast && !Objects.equals(reached, current));
                        throw listener.failed(step, failure, reached);
                    }
                    if (step.script().changesSession()) {
                        // as Flyway does: the history row is written as the user the run started as
                        LockedTransaction.restoreSession(connection, searchPath);
                    }
                    Migration migration = step.migration();
                    writer.applied(
                            migration.id(), migration.description(), migration.script(), migration.checksum(), (int)
                                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    if (flushLast && at == steps.size() - 1) {
                        // read at the commit: this one waits for the disk as the session would
                        try (Statement statement = connection.createStatement()) {
                            statement.execute(RESET);
                        }
                    }
                    connection.commit();
                    reached = migration.id();
                    at++;
                }
            }
            return reached;
        } catch (SQLException e) {
            LockedTransaction.rollbackQuietly(connection);
            flushQuietly(connection, flushLast && !Objects.equals(reached, current));
            String advice = SqlFailures.environmentAdvice(e, locking);
            throw new EnvironmentException(
                    "Database error while applying migrations (" + SqlFailures.describe(e)
                            + "); the migration in progress was rolled back and the database stays at revision "
                            + Revision.display(reached) + ": "
                            + (advice != null
                                    ? advice
                                    : "run db-current to see where it stands, then run db-upgrade again"),
                    e);
        }
    }
}
