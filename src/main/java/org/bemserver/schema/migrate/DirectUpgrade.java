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

/**
 * Applies pending versioned SQL migrations the way Flyway does (one transaction per migration,
 * holding the script and its history row; the row written exactly as Flyway writes it), without
 * Flyway's per-migration bookkeeping: Flyway re-reads the history, switches roles and takes its
 * lock around every migration, about 18 statements over two connections, which costs more than
 * the DDL of a typical revision.
 *
 * <p>It runs only plans it can run exactly as Flyway would ({@link #of} says which); anything else
 * (repeatable scripts, statements outside a transaction, {@code COPY ... FROM stdin} with inline
 * data, transaction control, per-script {@code .conf} files, callbacks) goes through Flyway's own
 * migrate.
 */
final class DirectUpgrade {

    /** One migration, read and parsed before anything runs. */
    record Step(Migration migration, Path file, SqlScript script) {

        Revision revision() {
            return migration.revision();
        }
    }

    private final List<Step> steps;

    private DirectUpgrade(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * The plan as steps this class runs exactly as Flyway would, or {@code null} when one of them
     * needs Flyway itself.
     */
    static DirectUpgrade of(
            List<Migration> plan, MigrationFiles.Scan scan, MigrationSettings settings, Placeholders placeholders) {
        if (!scan.callbacks().isEmpty()) {
            return null;
        }
        // the text each script was read with at the scan, whose checksum the plan was checked against
        Map<Path, String> read = new HashMap<>();
        scan.versioned().forEach(script -> read.put(script.file(), script.text()));
        List<Step> steps = new ArrayList<>();
        for (Migration migration : plan) {
            if (migration.version() == null || migration.kind() != Migration.Kind.SQL || !migration.hasFile()) {
                return null;
            }
            Path file = Path.of(migration.physicalLocation());
            if (Files.exists(file.resolveSibling(file.getFileName() + ".conf"))) {
                return null;
            }
            String text = read.get(file);
            if (text == null) {
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new EnvironmentException("Cannot read " + settings.display(file) + ": " + e.getMessage(), e);
                }
            }
            SqlScript script = SqlScript.parse(migration.script(), placeholders.replace(migration.script(), text));
            if (!script.nonTransactional().isEmpty()
                    || script.statements().stream().anyMatch(st -> st.refusal() != null)) {
                // outside a transaction, COPY ... FROM stdin with its data, BEGIN/COMMIT: Flyway's business
                return null;
            }
            steps.add(new Step(migration, file, script));
        }
        return new DirectUpgrade(steps);
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
                statement.execute("RESET synchronous_commit; SELECT pg_catalog.txid_current()");
            }
        } catch (SQLException e) {
            // the connection is gone
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
     */
    String run(
            Connection connection,
            int first,
            String current,
            HistoryTable history,
            boolean createHistory,
            String defaultSchema,
            Locking locking,
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
                for (Step step : steps.subList(first, steps.size())) {
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
                    if (flushLast && step == steps.get(steps.size() - 1)) {
                        // read at the commit: this one waits for the disk as the session would
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("RESET synchronous_commit");
                        }
                    }
                    connection.commit();
                    reached = migration.id();
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
