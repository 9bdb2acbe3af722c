package org.bemserver.schema.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.connect.DatabaseMessages;

/**
 * The advisory locks that keep two migration runs on one history table apart.
 *
 * <p>Two locks, always taken in this order:
 * <ol>
 *   <li>the <em>run lock</em>, held on a connection of its own for a whole goal run
 *       ({@code db-upgrade}, {@code db-downgrade}): it keeps our runs from interleaving. Flyway locks
 *       each migration separately and caches the history rows it has read, so a downgrade slipped
 *       between two of its migrations would make it apply a script on a schema it no longer has.
 *       This lock uses PostgreSQL's two-integer key space, which never meets Flyway's one-bigint keys;
 *   <li>Flyway's own lock ({@link HistoryTable#lockKey()}), which {@code db-downgrade} takes around its
 *       changes so that Flyway itself, run by any tool, waits for it.
 * </ol>
 * Both are released by the server when their session ends, so a killed build leaves no lock.
 */
final class MigrationLock implements AutoCloseable {

    /** The first key of the run lock: "bems". */
    private static final int RUN_LOCK_CLASS = 0x62656d73;

    /** The first key of the lock a run's lock session takes on its process id ({@link #heldCheck}): "bemt". */
    private static final int SESSION_LOCK_CLASS = 0x62656d74;

    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final Connection connection;
    private final Locking locking;

    private MigrationLock(Connection connection, Locking locking) {
        this.connection = connection;
        this.locking = locking;
    }

    /** The two keys of the run lock of {@code history}, as arguments of {@code pg_advisory_lock}. */
    static String runLockKey(HistoryTable history) {
        return RUN_LOCK_CLASS + ", " + history.qualifiedName().hashCode();
    }

    /** Waits for the run lock of {@code history} on a connection of its own; closing releases it. */
    static MigrationLock acquireRun(DataSource dataSource, HistoryTable history, Locking locking) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET application_name = 'bemserver-maven-plugin (lock)'");
            }
            wait(
                    connection,
                    "pg_advisory_lock(" + runLockKey(history) + ")",
                    false,
                    history,
                    runHolderCondition(history),
                    locking);
            return new MigrationLock(connection, locking);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new EnvironmentException(
                    "Cannot take the migration lock on " + history.displayName() + ": "
                            + DatabaseMessages.firstLine(e.getMessage())
                            + "; nothing was changed: check the connection and run the goal again",
                    e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * A statement that fails (SQL state 22P02, {@link #LOCK_RELEASED} in its message) unless this
     * run's lock session is still there. Sent before each commit of revisions pipelined on another
     * connection, it keeps a server that has not noticed its client is gone from committing for it:
     * the client's death ends this session at once (it waits idle for the client), and with it its
     * locks. The session takes a lock of its own here, keyed by its process id, which the statement
     * tries shared: it fails while the session holds it. (The run lock itself would not do: another
     * run waiting for it takes it as soon as this session ends.) Taken, the shared lock lasts until
     * the statement's transaction ends, which the failure rolls back.
     */
    String heldCheck() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT pg_catalog.pg_backend_pid(), "
                        + "pg_catalog.pg_advisory_lock(" + SESSION_LOCK_CLASS + ", pg_catalog.pg_backend_pid())")) {
            result.next();
            return "SELECT (CASE WHEN pg_catalog.pg_try_advisory_xact_lock_shared(" + SESSION_LOCK_CLASS + ", "
                    + result.getInt(1) + ") THEN " + Identifiers.literal(LOCK_RELEASED) + " ELSE '1' END)::int4";
        }
    }

    /** What {@link #heldCheck} fails with, in the text of its error. */
    private static final String LOCK_RELEASED = "bemserver: the migration lock was released";

    /**
     * Also takes Flyway's lock on this run lock's connection, for the rest of the run: for work
     * that runs outside one transaction ({@code mixed}), where {@code CREATE INDEX CONCURRENTLY}
     * must not wait for the transaction holding the lock.
     */
    void holdFlywayLock(HistoryTable history) {
        try {
            wait(
                    connection,
                    "pg_advisory_lock(" + history.lockKey() + ")",
                    false,
                    history,
                    flywayHolderCondition(history),
                    locking);
        } catch (SQLException e) {
            throw new EnvironmentException(
                    "Cannot take Flyway's lock on " + history.displayName() + ": "
                            + DatabaseMessages.firstLine(e.getMessage())
                            + "; nothing was changed: check the connection and run the goal again",
                    e);
        }
    }

    /** Gives back Flyway's lock taken by {@link #holdFlywayLock}, for Flyway itself to take it. */
    void releaseFlywayLock(HistoryTable history) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_unlock(" + history.lockKey() + ")");
        } catch (SQLException e) {
            throw new EnvironmentException(
                    "Cannot release Flyway's lock on " + history.displayName() + ": "
                            + DatabaseMessages.firstLine(e.getMessage())
                            + "; nothing was changed: check the connection and run the goal again",
                    e);
        }
    }

    /** Waits for Flyway's lock inside the current transaction of {@code connection}; released at its end. */
    static void acquireFlywayInTransaction(Connection connection, HistoryTable history, Locking locking)
            throws SQLException {
        wait(
                connection,
                "pg_advisory_xact_lock(" + history.lockKey() + ")",
                true,
                history,
                flywayHolderCondition(history),
                locking);
    }

    private static void wait(
            Connection connection,
            String call,
            boolean inTransaction,
            HistoryTable history,
            String holderCondition,
            Locking locking)
            throws SQLException {
        String set = inTransaction ? "SET LOCAL" : "SET";
        try (Statement statement = connection.createStatement()) {
            statement.execute(set + " lock_timeout = '" + locking.lockWait().toMillis() + "ms'");
            statement.execute("SELECT " + call);
            // what follows on this connection are the scripts' statements
            statement.execute(set + " " + locking.lockTimeoutSetting());
        } catch (SQLException e) {
            if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw e;
            }
            if (inTransaction) {
                connection.rollback();
            }
            throw new EnvironmentException(
                    "Gave up after " + locking.lockWait().toSeconds() + " s waiting for the migration lock on "
                            + history.displayName() + ": " + holder(connection, holderCondition)
                            + "; nothing was changed: try again when it has finished (bemserver.lockWait sets how long to wait)",
                    e);
        }
    }

    private static String runHolderCondition(HistoryTable history) {
        return "l.classid::bigint = " + Integer.toUnsignedLong(RUN_LOCK_CLASS) + " AND l.objid::bigint = "
                + Integer.toUnsignedLong(history.qualifiedName().hashCode()) + " AND l.objsubid = 2";
    }

    private static String flywayHolderCondition(HistoryTable history) {
        long key = history.lockKey();
        return "l.classid::bigint = " + (key >>> 32) + " AND l.objid::bigint = " + (key & 0xFFFFFFFFL)
                + " AND l.objsubid = 1";
    }

    /** Who holds a lock, for the message of a timeout. */
    private static String holder(Connection connection, String condition) {
        try (PreparedStatement query = connection.prepareStatement(
                        "SELECT a.pid, coalesce(a.application_name, ''), a.query_start, a.state FROM pg_catalog.pg_locks l "
                                + "JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND "
                                + condition);
                ResultSet result = query.executeQuery()) {
            if (result.next()) {
                return "it is held by session " + result.getInt(1) + " (application_name '" + result.getString(2)
                        + "', last query started " + result.getTimestamp(3) + ", " + result.getString(4) + ")";
            }
        } catch (SQLException e) {
            // the message below still says what happened
        }
        return "another db-upgrade, db-downgrade or Flyway run holds it";
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server releases the lock when the session ends anyway
            }
        }
    }
}
