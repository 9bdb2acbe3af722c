package org.bemserver.schema.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.ConnectionException;
import org.bemserver.testing.TestServer;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    private static final String VAR = "SQLALCHEMY_DATABASE_URI";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final TestServer server = TestServer.shared();

    @Test
    void connectsWithTheUriCredentials() throws SQLException {
        DatabaseUri uri = server.createDatabase("connects");

        try (Database database = Database.open(uri, VAR, TIMEOUT);
                Connection connection = database.connect();
                ResultSet result =
                        connection.createStatement().executeQuery("SELECT current_user, current_database()")) {
            result.next();
            assertThat(result.getString(1)).isEqualTo(TestServer.OWNER);
            assertThat(result.getString(2)).isEqualTo(uri.database());
            assertThat(database.describe()).startsWith(uri.masked() + " (PostgreSQL ");
        }
    }

    @Test
    void theApplicationNameComesWithTheStartupPacketNotInASetAfterIt() throws SQLException {
        DatabaseUri uri = server.createDatabase("startup");

        try (Database database = Database.open(uri, VAR, TIMEOUT);
                Connection connection = database.connect();
                ResultSet result = connection
                        .createStatement()
                        .executeQuery("SELECT setting, source FROM pg_catalog.pg_settings "
                                + "WHERE name = 'application_name'")) {
            result.next();
            assertThat(result.getString(1)).isEqualTo("bemserver-maven-plugin");
            // 'client' for a startup parameter; a SET after the startup (one round trip more) says 'session'
            assertThat(result.getString(2)).isEqualTo("client");
        }
    }

    @Test
    void aConnectionGivenBackIdleIsTheNextOneAndOneInATransactionIsClosed() throws SQLException {
        DatabaseUri uri = server.createDatabase("giveback");

        try (Database database = Database.open(uri, VAR, TIMEOUT)) {
            int probe;
            int first;
            try (Database.Borrowed borrowed = Database.borrow(database.dataSource())) {
                probe = backend(borrowed.connection());
            }
            try (Database.Borrowed borrowed = Database.borrow(database.dataSource())) {
                first = backend(borrowed.connection());
            }
            // the version probe's connection, given back twice: one backend so far
            assertThat(first).isEqualTo(probe);

            Connection inTransaction = database.dataSource().getConnection();
            assertThat(backend(inTransaction)).isEqualTo(probe);
            inTransaction.setAutoCommit(false);
            inTransaction.createStatement().execute("SELECT 1");
            Database.giveBack(database.dataSource(), inTransaction);
            assertThat(inTransaction.isClosed()).isTrue();

            Connection next = database.connect();
            Connection other = database.connect();
            assertThat(backend(next)).isNotEqualTo(probe);
            Database.giveBack(database.dataSource(), next);
            // the slot holds one connection: a second given back is closed
            Database.giveBack(database.dataSource(), other);
            assertThat(next.isClosed()).isFalse();
            assertThat(other.isClosed()).isTrue();
        }
    }

    private static int backend(Connection connection) throws SQLException {
        try (ResultSet result = connection.createStatement().executeQuery("SELECT pg_backend_pid()")) {
            result.next();
            return result.getInt(1);
        }
    }

    @Test
    void aWrongPasswordSaysWhereToFixIt() {
        DatabaseUri uri = server.createDatabase("wrong_password").withCredentials(TestServer.OWNER, "Wr0ng-pa55");

        assertFailure(uri, Duration.ofSeconds(10))
                .isEqualTo("Cannot connect to " + uri.masked() + ": password authentication failed for user "
                        + TestServer.OWNER + ": check the user and password in " + VAR
                        + " (or in the settings.xml <server> named by bemserver.serverId)");
    }

    @Test
    void aMissingDatabaseSaysHowToCreateIt() {
        DatabaseUri uri = server.ownerUri("no_such_db");

        assertFailure(uri, TIMEOUT)
                .isEqualTo("Cannot connect to " + uri.masked() + ": database \"no_such_db\" does not exist: create it "
                        + "(createdb -h localhost -p " + server.port() + " -U " + TestServer.OWNER
                        + " no_such_db) or fix the database name in " + VAR);
    }

    @Test
    void anUnknownUserIsReportedByTheServer() {
        DatabaseUri uri = server.ownerUri("postgres").withCredentials("nobody_here", "Wr0ng-pa55");

        assertFailure(uri, TIMEOUT)
                .startsWith("Cannot connect to " + uri.masked() + ": password authentication failed "
                        + "for user nobody_here");
    }

    @Test
    void aClosedPortIsReportedAsRefused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        DatabaseUri uri = new DatabaseUri("postgresql", "127.0.0.1", port, "core", "bem", "Wr0ng-pa55", Map.of());

        assertFailure(uri, TIMEOUT)
                .isEqualTo("Cannot connect to " + uri.masked() + ": connection refused by 127.0.0.1:" + port
                        + ": is PostgreSQL running and listening on port " + port + "?");
    }

    @Test
    void anUnknownHostIsNamed() {
        DatabaseUri uri =
                new DatabaseUri("postgresql", "no-such-host.invalid", 5432, "core", "bem", "Wr0ng-pa55", Map.of());

        assertFailure(uri, TIMEOUT)
                .isEqualTo("Cannot connect to " + uri.masked()
                        + ": unknown host no-such-host.invalid: check the host name in " + VAR);
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            DatabaseUri uri = new DatabaseUri(
                    "postgresql", "127.0.0.1", silent.getLocalPort(), "core", "bem", "Wr0ng-pa55", Map.of());

            long started = System.nanoTime();
            String message = failureOf(uri, Duration.ofSeconds(1));
            long elapsed = Duration.ofNanos(System.nanoTime() - started).toMillis();

            assertThat(message)
                    .isEqualTo("Cannot connect to " + uri.masked() + ": no answer from 127.0.0.1:"
                            + silent.getLocalPort() + " within 1 s: check the host, the port and any firewall "
                            + "(bemserver.connectTimeout sets the limit)");
            // bounded by the timeout, not by TCP's own retries (minutes)
            assertThat(elapsed).isLessThan(10_000);
        }
    }

    private org.assertj.core.api.AbstractStringAssert<?> assertFailure(DatabaseUri uri, Duration timeout) {
        return assertThat(failureOf(uri, timeout));
    }

    private String failureOf(DatabaseUri uri, Duration timeout) {
        Throwable thrown = catchThrowable(() -> Database.open(uri, VAR, timeout).close());
        assertThat(thrown).isInstanceOf(ConnectionException.class);
        if (uri.password() != null) {
            assertThat(DatabaseUriTest.everythingPrintedAbout(thrown)).doesNotContain(uri.password());
        }
        assertThat(thrown.getMessage()).doesNotContain("\n");
        return thrown.getMessage();
    }
}
