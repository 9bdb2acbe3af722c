package org.bemserver.schema.connect;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import org.bemserver.schema.ConnectionException;

/** Turns a failed connection attempt into one line that says what to check. */
final class ConnectFailure {

    private ConnectFailure() {}

    static ConnectionException explain(SQLException e, DatabaseUri uri, String variable, Duration timeout) {
        String prefix = "Cannot connect to " + uri.masked() + ": ";
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String user = uri.user() == null ? "(default user)" : uri.user();
        String reason;
        switch (state) {
            case "28P01" ->
                reason = "password authentication failed for user " + user + ": check the user and password in "
                        + variable + " (or in the settings.xml <server> named by bemserver.serverId)";
            case "28000" ->
                reason = serverMessage(e) + ": check the user in " + variable + " and the server's pg_hba.conf";
            case "3D000" ->
                reason = "database " + quoted(uri.database()) + " does not exist: create it (createdb -h "
                        + uri.host() + " -p " + uri.port() + (uri.user() == null ? "" : " -U " + uri.user()) + " "
                        + uri.database() + ") or fix the database name in " + variable;
            case "53300" -> reason = "the server has no free connection slot (too many clients): try again later";
            case "57P03" -> reason = "the server is starting up or shutting down: try again in a moment";
            default -> reason = networkReason(e, uri, variable, timeout);
        }
        return new ConnectionException(prefix + reason, e);
    }

    private static String networkReason(SQLException e, DatabaseUri uri, String variable, Duration timeout) {
        String where = uri.host() + ":" + uri.port();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException) {
                return "unknown host " + uri.host() + ": check the host name in " + variable;
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return "connection refused by " + where + ": is PostgreSQL running and listening on port " + uri.port()
                        + "?";
            }
            if (cause instanceof SocketTimeoutException) {
                return timedOut(where, timeout);
            }
        }
        String message = DatabaseMessages.firstLine(e.getMessage());
        if (message.toLowerCase(Locale.ROOT).contains("timed out")) {
            return timedOut(where, timeout);
        }
        return message + (e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")") + ": check " + variable
                + " (host, port, sslmode and the other parameters) and the server's log";
    }

    private static String timedOut(String where, Duration timeout) {
        return "no answer from " + where + " within " + timeout.toSeconds()
                + " s: check the host, the port and any firewall (bemserver.connectTimeout sets the limit)";
    }

    private static String serverMessage(SQLException e) {
        return DatabaseMessages.of(e);
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
