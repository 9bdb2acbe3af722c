package org.bemserver.schema.connect;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.bemserver.schema.ConnectionException;
import org.postgresql.Driver;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * An open way to one database: a {@link DataSource} whose connection failures become one-line
 * {@link org.bemserver.schema.ConnectionException}s naming the masked URI, plus the embedded
 * server it may own.
 */
public final class Database implements AutoCloseable {

    private static final Driver DRIVER = new Driver();

    private final DatabaseUri uri;
    private final String variable;
    private final Properties properties;
    private final Duration connectTimeout;
    private final EmbeddedServer server;
    private final String serverVersion;
    /**
     * A connection ready for the next {@link #connect()}: the one that read the server's version,
     * then any given back clean ({@link #giveBack}). A goal run then opens fewer connections: each
     * costs a round of authentication and a new backend with cold catalog caches.
     */
    private Connection spare;
    /** The connections opened so far, the version probe's included. */
    private int opened;

    private Database(DatabaseUri uri, String variable, Duration connectTimeout, EmbeddedServer server) {
        this.uri = uri;
        this.variable = variable;
        this.connectTimeout = connectTimeout;
        this.server = server;
        this.properties = uri.jdbcProperties();
        long seconds = Math.max(1, connectTimeout.toSeconds());
        properties.putIfAbsent("connectTimeout", String.valueOf(seconds));
        // loginTimeout also bounds a server that accepts the connection but never answers.
        properties.putIfAbsent("loginTimeout", properties.getProperty("connectTimeout"));
        properties.putIfAbsent("ApplicationName", "bemserver-maven-plugin");
        // the application name then travels in the startup packet instead of a SET after it: one
        // round trip fewer per connection (PostgreSQL 9.0 took it there; the plugin needs 15)
        properties.putIfAbsent("assumeMinServerVersion", "9.0");
        this.serverVersion = probe();
    }

    /** Connects to the server of the settings, or starts the embedded one; fails fast if it cannot. */
    public static Database open(ConnectionSettings settings, EmbeddedServer.Launcher embedded) {
        if (settings.isEmbedded()) {
            return open(embedded.start(), settings.variable(), settings.connectTimeout());
        }
        return new Database(settings.uri(), settings.variable(), settings.connectTimeout(), null);
    }

    /** Connects to the {@code postgres} database of an embedded server, which closing this stops. */
    public static Database open(EmbeddedServer server, String source, Duration connectTimeout) {
        try {
            return new Database(server.uri(), source, connectTimeout, server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Connects to a database given by URI alone (tests, throwaway databases). */
    public static Database open(DatabaseUri uri, String source, Duration connectTimeout) {
        return new Database(uri, source, connectTimeout, null);
    }

    public DatabaseUri uri() {
        return uri;
    }

    /** The database's name: the URI's, or when it names none the server's ({@code current_database()}). */
    public String name() {
        if (!uri.database().isEmpty()) {
            return uri.database();
        }
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT pg_catalog.current_database()")) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            throw new ConnectionException("Cannot read the database's name: " + DatabaseMessages.of(e), e);
        }
    }

    /** What to call this database in output: the masked URI, or the embedded server's data directory. */
    public String describe() {
        String where = server != null ? server.describe() : uri.masked();
        return where + " (PostgreSQL " + serverVersion + ")";
    }

    /** The server's PostgreSQL major: {@code 17} for 17.7. */
    public String serverMajor() {
        return serverVersion.split("[. ]", 2)[0];
    }

    /** A new connection (the one of the version probe, the first time); the caller closes it. */
    public Connection connect() {
        Connection kept = takeSpare();
        if (kept != null) {
            return kept;
        }
        try {
            Connection connection = DRIVER.connect(uri.jdbcUrl(), properties);
            if (connection == null) {
                throw new SQLException("pgjdbc did not accept " + uri.jdbcUrl());
            }
            synchronized (this) {
                opened++;
            }
            return connection;
        } catch (SQLException e) {
            throw ConnectFailure.explain(e, uri, variable, connectTimeout);
        }
    }

    /**
     * How many connections this database has opened, the version probe's included: each is a new
     * backend on the server, which a goal run keeps few.
     */
    public synchronized int connectionsOpened() {
        return opened;
    }

    /** This database as a DataSource, for Flyway. */
    public DataSource dataSource() {
        return new PlainDataSource(() -> this);
    }

    /**
     * The DataSource of the database {@code coming} gives when asked, which may wait for it: for
     * work that can start while the database is being created, and needs it only maybe.
     */
    public static DataSource awaiting(Supplier<Database> coming) {
        return new PlainDataSource(coming);
    }

    private String probe() {
        Connection connection = connect();
        try {
            DatabaseMetaData metaData = connection.getMetaData();
            String version = metaData.getDatabaseProductVersion();
            spare = connection;
            return version;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw ConnectFailure.explain(e, uri, variable, connectTimeout);
        }
    }

    /**
     * A connection of {@code dataSource} for reads only, which closing gives back
     * ({@link #giveBack}): the next connection of the same source reuses it.
     */
    public static Borrowed borrow(DataSource dataSource) throws SQLException {
        return new Borrowed(dataSource, dataSource.getConnection());
    }

    /** A connection of {@link #borrow}; {@link #close()} gives it back. */
    public record Borrowed(DataSource dataSource, Connection connection) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            giveBack(dataSource, connection);
        }
    }

    /**
     * Ends the use of {@code connection}, a connection of {@code dataSource} that only read: kept
     * for the next connection of that source when it is one of a {@link Database}'s, the slot is
     * free and the session is as it was opened (autocommit, no transaction open); closed
     * otherwise. The session's settings, locks and prepared statements must be the ones it was
     * opened with: a connection that ran a project's script, or took a lock, is closed instead.
     */
    public static void giveBack(DataSource dataSource, Connection connection) throws SQLException {
        if (dataSource instanceof PlainDataSource plain && plain.database().keep(connection)) {
            return;
        }
        connection.close();
    }

    private synchronized boolean keep(Connection connection) throws SQLException {
        if (spare != null
                || connection.isClosed()
                || !connection.getAutoCommit()
                || connection.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
            return false;
        }
        spare = connection;
        return true;
    }

    private synchronized Connection takeSpare() {
        Connection kept = spare;
        spare = null;
        return kept;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a connection that failed: nothing more to say
        }
    }

    @Override
    public void close() {
        Connection kept = takeSpare();
        if (kept != null) {
            closeQuietly(kept);
        }
        if (server != null) {
            server.close();
        }
    }

    private static final class PlainDataSource implements DataSource {

        private final Supplier<Database> database;

        PlainDataSource(Supplier<Database> database) {
            this.database = database;
        }

        Database database() {
            return database.get();
        }

        @Override
        public Connection getConnection() {
            return database().connect();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("credentials come from the database URI");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return (int) database().connectTimeout.toSeconds();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            throw new SQLException("not a wrapper for " + type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return type.isInstance(this);
        }
    }
}
