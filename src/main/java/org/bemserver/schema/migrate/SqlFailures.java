package org.bemserver.schema.migrate;

import java.sql.SQLException;
import org.bemserver.schema.connect.DatabaseMessages;

/** What a failed statement tells the user: the server's own message and what to do about it. */
public final class SqlFailures {

    private SqlFailures() {}

    /** {@code SQL state 42P01: relation "x" does not exist}, the server's message without its framing. */
    public static String describe(SQLException e) {
        return (e.getSQLState() == null ? "" : "SQL state " + e.getSQLState() + ": ") + DatabaseMessages.of(e);
    }

    /**
     * What to do when the failure is not the script's fault: a lock timeout, a missing privilege,
     * a lost connection; {@code null} when the script itself must be fixed.
     */
    public static String environmentAdvice(SQLException e, Locking locking) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("55P03")) {
            return "another session held a lock the script needed for longer than bemserver.lockTimeout ("
                    + (locking.lockTimeout() == null ? "the server's lock_timeout" : locking.lockTimeout())
                    + "): run the goal again when it is free, or raise bemserver.lockTimeout";
        }
        if (state.equals("42501")) {
            return "the database user lacks this privilege: grant it, or run the goal as the owner of the schema";
        }
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return "the connection to the database was lost: run the goal again";
        }
        return null;
    }

    /** The first {@link SQLException} in the chain of causes of {@code e}, or {@code null}. */
    static SQLException sqlException(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /** The first SQL state in the chain of causes of {@code e}, or {@code null}. */
    static String sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
