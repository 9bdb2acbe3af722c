package org.bemserver.schema.connect;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;

/** What the server said, for one-line messages: its own words without pgjdbc's framing. */
public final class DatabaseMessages {

    private DatabaseMessages() {}

    /**
     * The server's own message ({@code relation "x" does not exist}) of the first PostgreSQL error
     * in the chain of causes of {@code e}; otherwise the first line of the first SQL exception's
     * message, or of {@code e}'s.
     */
    public static String of(Throwable e) {
        SQLException sql = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PSQLException psql
                    && psql.getServerErrorMessage() != null
                    && psql.getServerErrorMessage().getMessage() != null) {
                return psql.getServerErrorMessage().getMessage();
            }
            if (sql == null && cause instanceof SQLException first) {
                sql = first;
            }
        }
        return firstLine(sql != null ? sql.getMessage() : e.getMessage());
    }

    /** The first line of a message, stripped; empty for {@code null}. */
    public static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }
}
