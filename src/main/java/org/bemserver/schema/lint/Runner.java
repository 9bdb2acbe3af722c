package org.bemserver.schema.lint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.migrate.SqlScript;

/**
 * Runs the statements of a revision on the lint connection, each followed by the reading after it
 * ({@link Probe}), in as few round trips as the measurement allows.
 *
 * <p>In a transaction, while the session holds no lock on a table that existed before the
 * revision, statements go to the server together, in one round trip (pgjdbc sends them at once),
 * after a savepoint, and followed by {@link Probe#lockCheck()}: a statement that takes no lock on
 * a table can have rewritten, scanned, renamed or altered none (the rule that lets a reading skip
 * the tables the session holds no lock on), and a lock is held to the end of the transaction, so
 * none held after the statements means none taken by any of them, and the reading after each is
 * the one before. When the check finds a lock, or a statement fails, the transaction goes back to
 * the savepoint and the statements run one at a time, each read after it. The statements sent
 * together go from 1 to {@value #MOST} at a time, doubling: a revision whose first statement alters
 * an existing table loses nothing. Once the session holds a lock on an existing table, each
 * statement is read after it. A revision of a thousand new tables on top of a long history then
 * reads pg_locks, which lists every lock of the transaction, some fifty times instead of four
 * thousand.
 *
 * <p>The time of a statement in a transaction is the server's ({@code clock_timestamp()} before and
 * after it, in the same round trip); outside one, the client's.
 */
final class Runner {

    /** The most statements sent together. */
    private static final int MOST = 64;

    private static final String CLOCK = "SELECT pg_catalog.clock_timestamp() AS bemserver_clock";

    /**
     * A statement run: how long it ran, and the readings before and after it. The reading before is
     * the previous statement's after, except after a rollback to a savepoint: the scans the undone
     * statements made still count in the transaction, so the reading before is taken again.
     */
    record Ran(Duration time, Probe.Reading before, Probe.Reading after) {}

    /** A statement the database refused. */
    static final class Refused extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient SqlScript.Statement statement;

        Refused(SqlScript.Statement statement, SQLException cause) {
            super(cause);
            this.statement = statement;
        }

        SqlScript.Statement statement() {
            return statement;
        }

        SQLException sqlException() {
            return (SQLException) getCause();
        }
    }

    private final Connection connection;
    private final Probe probe;
    private final boolean transactional;

    /** Whether no table existed before the revision: there is nothing to read. */
    private final boolean nothingToRead;

    /** Whether a reading outside a transaction counts the scans flushed too ({@link Probe#readOutside}). */
    private final boolean totals;

    /** How many statements the next round trip may take together. */
    private int together = 1;

    /** How many statements still go one at a time, after statements sent together went back to their savepoint. */
    private int alone;

    /** The savepoint of the last statements sent together, still open, or {@code null}. */
    private String open;

    /** The reading before the first statement of a batch rolled back to its savepoint, taken again. */
    private Probe.Reading rolledBack;

    /** Numbers the savepoints. */
    private int savepoints;

    /** The commit to send with the last statement when it runs alone, or {@code null}. */
    private FirstReading.Tail tail;

    /**
     * @param transactional whether the revision runs in one transaction
     * @param nothingToRead whether no table existed before the revision (its first reading found none)
     * @param totals whether readings outside a transaction are {@link Probe#readOutside}'s (PostgreSQL 15 and later)
     */
    Runner(Connection connection, Probe probe, boolean transactional, boolean nothingToRead, boolean totals) {
        this.connection = connection;
        this.probe = probe;
        this.transactional = transactional;
        this.nothingToRead = nothingToRead;
        this.totals = totals;
    }

    /**
     * Sends {@code tail} (the commit, and the next revision's first reading) in the round trip of
     * the revision's last statement, when that one runs alone: its reading comes first, and the
     * tail's rows go to it ({@link FirstReading.Tail#sent()} says whether it went).
     */
    void finishWith(FirstReading.Tail tail) {
        this.tail = tail;
    }

    /**
     * Runs {@code statements.get(index)}, and maybe some after it together: their runs, in order,
     * at least one.
     *
     * @param previous the reading before {@code statements.get(index)}
     * @throws Refused a statement's failure, when it runs alone
     * @throws SQLException the connection's failure
     */
    List<Ran> next(List<SqlScript.Statement> statements, int index, Probe.Reading previous)
            throws Refused, SQLException {
        List<Ran> runs = run(statements, index, previous);
        // the reading sent after a statement is prepared on the session: again, when one forgot it
        if (statements.subList(index, index + runs.size()).stream()
                .anyMatch(statement -> Probe.forgetsPrepared(statement.words()))) {
            Probe.prepare(connection);
        }
        return runs;
    }

    private List<Ran> run(List<SqlScript.Statement> statements, int index, Probe.Reading previous)
            throws Refused, SQLException {
        SqlScript.Statement statement = statements.get(index);
        if (!transactional || !sendable(statement)) {
            return List.of(byItself(statement, previous));
        }
        boolean lastOne = index == statements.size() - 1;
        if (!previous.locks().isEmpty() || alone > 0) {
            alone = Math.max(0, alone - 1);
            return List.of(alone(statement, previous, lastOne));
        }
        List<SqlScript.Statement> batch = new ArrayList<>();
        for (int i = index; i < statements.size() && batch.size() < together && sendable(statements.get(i)); i++) {
            batch.add(statements.get(i));
        }
        together = Math.min(MOST, together * 2);
        if (batch.size() == 1) {
            return List.of(alone(statement, previous, lastOne));
        }
        List<Ran> runs = together(batch, previous);
        if (runs == null) {
            // the lock or the failure is in one of them: one at a time, then together again from 1
            alone = batch.size() - 1;
            together = 1;
            return List.of(alone(statement, rolledBack, false));
        }
        return runs;
    }

    /**
     * Whether the statement can go with others: pgjdbc splits BEGIN ATOMIC bodies; a savepoint is
     * ours; and what a rollback to the savepoint does not undo (prepared statements) would fail
     * when the statements run again one at a time, or leave the reading without its own.
     */
    private static boolean sendable(SqlScript.Statement statement) {
        String words = statement.words();
        return statement.refusal() == null
                && !statement.isCopyFromStdin() // fed its rows alone
                && !words.contains("BEGIN ATOMIC")
                && !words.startsWith("SAVEPOINT")
                && !words.startsWith("RELEASE")
                && !words.startsWith("PREPARE")
                && !Probe.forgetsPrepared(words);
    }

    /**
     * A statement in its own round trip, timed by the client, then read: outside a transaction
     * every table (its locks are gone), in one those the session holds a lock on.
     */
    private Ran byItself(SqlScript.Statement statement, Probe.Reading previous) throws Refused, SQLException {
        release();
        long start = System.nanoTime();
        try (Statement run = SqlScript.jdbcStatement(connection)) {
            statement.runOn(run);
        } catch (SQLException e) {
            throw new Refused(statement, e);
        }
        Duration time = Duration.ofNanos(System.nanoTime() - start);
        Probe.Reading after;
        if (nothingToRead) {
            after = previous;
        } else if (transactional) {
            after = probe.read(connection, previous);
        } else {
            after = totals ? probe.readOutside(connection) : probe.read(connection);
        }
        return new Ran(time, previous, after);
    }

    /**
     * A statement in a transaction, between two clock readings, followed by the reading after it
     * ({@link Probe#readAfter()}), all in one round trip; the revision's last one ({@code lastOne})
     * followed by the {@link #finishWith tail} too, when there is one.
     */
    private Ran alone(SqlScript.Statement statement, Probe.Reading previous, boolean lastOne)
            throws Refused, SQLException {
        // a statement that forgets the session's prepared statements is read in a round trip of its own
        boolean readHere = !nothingToRead && !Probe.forgetsPrepared(statement.words());
        String text = releasing() + CLOCK + ";\n" + statement.terminated() + "\n" + CLOCK
                + (readHere ? ";\n" + probe.readAfter() : "")
                + (lastOne && readHere && tail != null ? ";\n" + tail.sql(previous) : "");
        Results results;
        try {
            results = execute(text);
        } catch (SQLException e) {
            throw new Refused(statement, e);
        }
        Duration time =
                Duration.between(results.clocks().get(0), results.clocks().get(1));
        if (nothingToRead) {
            return new Ran(time, previous, previous);
        }
        if (!readHere) {
            return new Ran(time, previous, probe.read(connection, previous));
        }
        return new Ran(time, previous, probe.reading(results.reading(), connection, previous));
    }

    /**
     * Statements in a transaction in one round trip, after a savepoint, each after a clock reading,
     * then the lock check; {@code null} when the check found a lock or a statement failed: the
     * transaction went back to the savepoint.
     */
    private List<Ran> together(List<SqlScript.Statement> batch, Probe.Reading previous) throws SQLException {
        String savepoint = "bemserver_lint_" + ++savepoints;
        StringBuilder text = new StringBuilder(releasing())
                .append("SAVEPOINT ")
                .append(savepoint)
                .append(";\n")
                .append(CLOCK);
        for (int i = 0; i < batch.size(); i++) {
            // the check after the last one reads the clock too
            text.append(";\n")
                    .append(batch.get(i).terminated())
                    .append('\n')
                    .append(i == batch.size() - 1 && !nothingToRead ? probe.lockCheck() : CLOCK);
        }
        Results results;
        try {
            results = execute(text.toString());
        } catch (SQLException e) {
            results = null;
        }
        if (results == null || (!nothingToRead && results.locked() > 0)) {
            Map<Long, Long> scans = new HashMap<>();
            try (Statement back = connection.createStatement()) {
                boolean rows = back.execute("ROLLBACK TO SAVEPOINT " + savepoint + ";\nRELEASE SAVEPOINT " + savepoint
                        + (nothingToRead ? "" : ";\n" + probe.scanCount()));
                while (!rows && back.getUpdateCount() != -1) {
                    rows = back.getMoreResults(); // past the rollback and the release, to the counts
                }
                if (rows) {
                    try (ResultSet result = back.getResultSet()) {
                        while (result.next()) {
                            scans.put(result.getLong(1), result.getLong(2));
                        }
                    }
                }
            }
            // what the batch scanned still counts: the reading before the one at a time says so
            rolledBack = nothingToRead ? previous : previous.withScans(scans);
            // nor does the rollback bring back prepared statements one of them deallocated (a
            // function can): the reading's is prepared again if it went
            Probe.prepare(connection);
            return null;
        }
        open = savepoint;
        Probe.Reading after = nothingToRead ? previous : previous.withLockTimeout(results.lockTimeout());
        List<Ran> runs = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            runs.add(new Ran(
                    Duration.between(results.clocks().get(i), results.clocks().get(i + 1)),
                    i == 0 ? previous : after,
                    after));
        }
        return runs;
    }

    /** The release of the open savepoint, to go first in the next round trip, or nothing. */
    private String releasing() {
        String release = open == null ? "" : "RELEASE SAVEPOINT " + open + ";\n";
        open = null;
        return release;
    }

    /** Releases the open savepoint now, before a statement that goes by itself. */
    private void release() throws SQLException {
        String release = releasing();
        if (!release.isEmpty()) {
            try (Statement run = connection.createStatement()) {
                run.execute(release);
            }
        }
    }

    /**
     * What came back from a round trip: the clock readings, the locks held and the
     * {@code lock_timeout} (a lock check's), the rows of a reading ({@link Probe#readAfter()}'s).
     */
    private record Results(List<Instant> clocks, long locked, String lockTimeout, Probe.Rows reading) {}

    private Results execute(String text) throws SQLException {
        List<Instant> clocks = new ArrayList<>();
        long locked = 0;
        String lockTimeout = null;
        Probe.Rows reading = new Probe.Rows();
        try (Statement run = SqlScript.jdbcStatement(connection)) {
            boolean rows = run.execute(text);
            while (rows || run.getUpdateCount() != -1) {
                if (rows) {
                    try (ResultSet result = run.getResultSet()) {
                        java.sql.ResultSetMetaData columns = result.getMetaData();
                        if (columns.getColumnLabel(1).equals("bemserver_clock") && result.next()) {
                            clocks.add(result.getObject(1, OffsetDateTime.class).toInstant());
                            if (columns.getColumnCount() == 3) { // the lock check
                                locked = result.getLong(2);
                                lockTimeout = result.getString(3);
                            }
                        } else if (columns.getColumnLabel(1).equals("bemserver_reading")) {
                            reading.addAll(result);
                        } else if (tail != null && tail.sent() && FirstReading.Tail.labels(columns.getColumnLabel(1))) {
                            tail.accept(result);
                        }
                    }
                }
                rows = run.getMoreResults();
            }
        }
        return new Results(clocks, locked, lockTimeout, reading);
    }
}
