package org.bemserver.testing;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.connect.EmbeddedBinaries;
import org.bemserver.schema.connect.EmbeddedServer;

/**
 * A real PostgreSQL for tests: one embedded server per JVM (engine tests) or per port (the
 * integration tests, which share one server started from their setup scripts), a fresh database
 * per test owned by a password-authenticated, non-superuser role.
 */
public final class TestServer implements AutoCloseable {

    /** The role that owns test databases; it logs in with a password (scram-sha-256). */
    public static final String OWNER = "test_owner";

    public static final String OWNER_PASSWORD = "t3st-0wner-Pw";

    private static final Map<Integer, TestServer> BY_PORT = new HashMap<>();
    private static TestServer shared;

    /** Null for an existing server, which the tests reach as the owner role only. */
    private final EmbeddedServer server;

    private final int existingPort;
    private final String owner;
    private final String ownerPassword;
    private final AtomicInteger counter = new AtomicInteger();

    private TestServer(EmbeddedServer server, int existingPort, String owner, String ownerPassword) {
        this.server = server;
        this.existingPort = existingPort;
        this.owner = owner;
        this.ownerPassword = ownerPassword;
    }

    /** The engine tests' server: started on first use, stopped when the JVM exits. */
    public static synchronized TestServer shared() {
        if (shared == null) {
            shared = start(
                    Path.of("target", "test-postgres"),
                    0,
                    OWNER,
                    OWNER_PASSWORD,
                    Map.of("max_locks_per_transaction", "64"));
        }
        return shared;
    }

    /** The integration tests' server on {@code port}, started by the first setup script that asks. */
    public static synchronized TestServer onPort(Path directory, int port, String owner, String ownerPassword) {
        return BY_PORT.computeIfAbsent(port, p -> start(directory, p, owner, ownerPassword, Map.of()));
    }

    /**
     * An existing server on localhost:{@code port} (e.g. the distribution's, with password
     * authentication), which the integration tests reach as {@code owner} only: that role needs
     * LOGIN and CREATEDB, not superuser. Nothing is started or stopped.
     */
    public static synchronized TestServer existing(int port, String owner, String ownerPassword) {
        return BY_PORT.computeIfAbsent(port, p -> new TestServer(null, p, owner, ownerPassword));
    }

    /** A server of its own with special settings (e.g. a tiny lock table); the caller closes it. */
    public static TestServer dedicated(String name, Map<String, String> settings) {
        return start(Path.of("target", "test-postgres-" + name), 0, OWNER, OWNER_PASSWORD, settings);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    /** The binaries on the test class path (one instance: zonky unpacks equal binaries once). */
    private static final EmbeddedBinaries CLASS_PATH_BINARIES = DefaultPostgresBinaryResolver.INSTANCE::getPgBinary;

    private static TestServer start(
            Path directory, int port, String owner, String password, Map<String, String> settings) {
        deleteRecursively(directory);
        EmbeddedServer server =
                EmbeddedServer.start(directory.toAbsolutePath().normalize(), CLASS_PATH_BINARIES, settings, port);
        TestServer test = new TestServer(server, 0, owner, password);
        test.requireMajor(System.getProperty("pg.major"));
        test.requirePasswords(directory.toAbsolutePath());
        test.execute("postgres", "CREATE ROLE " + owner + " LOGIN CREATEDB PASSWORD '" + password + "'");
        return test;
    }

    /**
     * Fails when the server is not of the major the build asked for ({@code -Dpg.major}), so a run
     * said to test PostgreSQL 15 cannot quietly test another major.
     */
    private void requireMajor(String expected) {
        if (expected == null || expected.isBlank()) {
            return;
        }
        String actual = String.valueOf(Integer.parseInt(value("postgres", "SHOW server_version_num")) / 10000);
        if (!actual.equals(expected.strip())) {
            throw new IllegalStateException(
                    "pg.major is " + expected + " but the embedded server is PostgreSQL " + actual);
        }
    }

    /** Only the superuser is trusted; every other role must give its password, as on a real server. */
    private void requirePasswords(Path directory) {
        String hba = String.join(
                "\n",
                "local all all trust",
                "host all postgres 127.0.0.1/32 trust",
                "host all postgres ::1/128 trust",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256",
                "");
        try {
            Files.writeString(directory.resolve("pg_hba.conf"), hba);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        query("postgres", "SELECT pg_reload_conf()");
    }

    /** The server's PostgreSQL major, e.g. 17. */
    public int major() {
        return Integer.parseInt(value("postgres", "SHOW server_version_num")) / 10000;
    }

    /**
     * A column of a single-table view as {@code pg_get_viewdef} writes it: PostgreSQL 15 qualifies
     * it with its table ({@code t.n}), 16 and later do not ({@code n}).
     */
    public String viewColumn(String table, String column) {
        return major() >= 16 ? column : table + "." + column;
    }

    public int port() {
        return server == null ? existingPort : server.port();
    }

    /** Creates a new database owned by the test role; its name starts with {@code prefix}. */
    public DatabaseUri createDatabase(String prefix) {
        String name = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + counter.incrementAndGet();
        return createDatabaseNamed(name);
    }

    /** Creates (or re-creates) the database {@code name} owned by the test role. */
    public DatabaseUri createDatabaseNamed(String name) {
        execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        execute("postgres", "CREATE DATABASE " + name + " OWNER " + owner);
        if (server != null) {
            // on an existing server the owner creates the database itself and already owns
            // public (PostgreSQL 15+: pg_database_owner); changing it would need superuser
            execute(name, "ALTER SCHEMA public OWNER TO " + owner);
        }
        return ownerUri(name);
    }

    /** The owner's URI to {@code database}, with its password, in SQLAlchemy form. */
    public DatabaseUri ownerUri(String database) {
        return new DatabaseUri("postgresql+psycopg", "localhost", port(), database, owner, ownerPassword, Map.of());
    }

    /** Runs statements as superuser (as the owner on an existing server). */
    public void execute(String database, String sql) {
        try (Connection connection = superuser(database);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs a query as superuser (as the owner on an existing server); each row's columns as text. */
    public List<List<String>> query(String database, String sql) {
        try (Connection connection = superuser(database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row. */
    public List<String> column(String database, String sql) {
        return query(database, sql).stream().map(row -> row.get(0)).toList();
    }

    /** The single value a query returns. */
    public String value(String database, String sql) {
        List<List<String>> rows = query(database, sql);
        if (rows.size() != 1) {
            throw new IllegalStateException(sql + " returned " + rows.size() + " rows");
        }
        return rows.get(0).get(0);
    }

    /** The tables of a schema, sorted. */
    public List<String> tables(String database, String schema) {
        return column(database, "SELECT tablename FROM pg_tables WHERE schemaname = '" + schema + "' ORDER BY 1");
    }

    private Connection superuser(String database) throws SQLException {
        if (server == null) {
            DatabaseUri uri = ownerUri(database);
            return DriverManager.getConnection(uri.jdbcUrl(), uri.jdbcProperties());
        }
        Properties properties = new Properties();
        properties.setProperty("user", EmbeddedServer.SUPERUSER);
        return DriverManager.getConnection(server.uri(database).jdbcUrl(), properties);
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
