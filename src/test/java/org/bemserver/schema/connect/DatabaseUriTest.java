package org.bemserver.schema.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.stream.Stream;
import org.bemserver.schema.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseUriTest {

    private static final String VAR = "SQLALCHEMY_DATABASE_URI";

    /** A password no test input repeats elsewhere, so finding it in output means it leaked. */
    private static final String SECRET = "Zq9-s3cr3t";

    static Stream<Arguments> goodUris() {
        return Stream.of(
                // uri, host, port, database, user, password, masked
                Arguments.of(
                        "postgresql+psycopg://bem:" + SECRET + "@localhost:5432/bemserver",
                        "localhost",
                        5432,
                        "bemserver",
                        "bem",
                        SECRET,
                        "postgresql+psycopg://bem:***@localhost:5432/bemserver"),
                Arguments.of(
                        "postgresql+psycopg2://bem:" + SECRET + "@db.example.org:6543/core",
                        "db.example.org",
                        6543,
                        "core",
                        "bem",
                        SECRET,
                        "postgresql+psycopg2://bem:***@db.example.org:6543/core"),
                Arguments.of(
                        "postgresql+asyncpg://bem:" + SECRET + "@10.0.0.7/core",
                        "10.0.0.7",
                        5432,
                        "core",
                        "bem",
                        SECRET,
                        "postgresql+asyncpg://bem:***@10.0.0.7:5432/core"),
                Arguments.of(
                        "postgresql://bem@localhost/core",
                        "localhost",
                        5432,
                        "core",
                        "bem",
                        null,
                        "postgresql://bem@localhost:5432/core"),
                Arguments.of(
                        "postgres://bem:" + SECRET + "@localhost/core",
                        "localhost",
                        5432,
                        "core",
                        "bem",
                        SECRET,
                        "postgres://bem:***@localhost:5432/core"),
                Arguments.of(
                        "postgresql://localhost/core",
                        "localhost",
                        5432,
                        "core",
                        null,
                        null,
                        "postgresql://localhost:5432/core"),
                Arguments.of(
                        "postgresql:///core",
                        "localhost",
                        5432,
                        "core",
                        null,
                        null,
                        "postgresql://localhost:5432/core"),
                Arguments.of(
                        "postgresql://bem:" + SECRET + "@localhost",
                        "localhost",
                        5432,
                        "",
                        "bem",
                        SECRET,
                        "postgresql://bem:***@localhost:5432/"),
                // percent-encoded user, password and database
                Arguments.of(
                        "postgresql+psycopg://b%40m:p%40ss%3Aw%2Fd@localhost/my%20db",
                        "localhost",
                        5432,
                        "my db",
                        "b@m",
                        "p@ss:w/d",
                        "postgresql+psycopg://b@m:***@localhost:5432/my db"),
                // SQLAlchemy lets the password hold / : ? # unencoded
                Arguments.of(
                        "postgresql://bem:a/b:c?d#e@localhost:5433/core",
                        "localhost",
                        5433,
                        "core",
                        "bem",
                        "a/b:c?d#e",
                        "postgresql://bem:***@localhost:5433/core"),
                Arguments.of(
                        "postgresql://bem:pa+ss@localhost/core",
                        "localhost",
                        5432,
                        "core",
                        "bem",
                        "pa+ss",
                        "postgresql://bem:***@localhost:5432/core"),
                Arguments.of(
                        "postgresql://bem:@localhost/core",
                        "localhost",
                        5432,
                        "core",
                        "bem",
                        "",
                        "postgresql://bem:***@localhost:5432/core"),
                Arguments.of(
                        "postgresql://bem:" + SECRET + "@[::1]:5432/core",
                        "::1",
                        5432,
                        "core",
                        "bem",
                        SECRET,
                        "postgresql://bem:***@[::1]:5432/core"),
                Arguments.of(
                        "postgresql://bem:" + SECRET + "@[2001:db8::5]/core",
                        "2001:db8::5",
                        5432,
                        "core",
                        "bem",
                        SECRET,
                        "postgresql://bem:***@[2001:db8::5]:5432/core"),
                Arguments.of(
                        "  postgresql://bem@localhost/core\n",
                        "localhost",
                        5432,
                        "core",
                        "bem",
                        null,
                        "postgresql://bem@localhost:5432/core"),
                Arguments.of(
                        "POSTGRESQL+PSYCOPG://bem@localhost/core",
                        "localhost",
                        5432,
                        "core",
                        "bem",
                        null,
                        "POSTGRESQL+PSYCOPG://bem@localhost:5432/core"),
                // libpq parameters, translated to pgjdbc's names
                Arguments.of(
                        "postgresql://bem@localhost/core?sslmode=require&application_name=bemserver",
                        "localhost",
                        5432,
                        "core",
                        "bem",
                        null,
                        "postgresql://bem@localhost:5432/core?sslmode=require&ApplicationName=bemserver"),
                Arguments.of(
                        "postgresql://bem@localhost/core?connect_timeout=3&target_session_attrs=read-write",
                        "localhost",
                        5432,
                        "core",
                        "bem",
                        null,
                        "postgresql://bem@localhost:5432/core?connectTimeout=3&targetServerType=primary"),
                Arguments.of(
                        "postgresql:///core?host=db.local&port=6000&user=bem&password=" + SECRET,
                        "db.local",
                        6000,
                        "core",
                        "bem",
                        SECRET,
                        "postgresql://bem:***@db.local:6000/core"),
                Arguments.of(
                        "postgresql://bem@localhost/core?sslpassword=" + SECRET + "&sslmode=verify-full",
                        "localhost",
                        5432,
                        "core",
                        "bem",
                        null,
                        "postgresql://bem@localhost:5432/core?sslpassword=***&sslmode=verify-full"),
                Arguments.of(
                        "postgresql://bem@localhost/core?options=-c%20search_path%3Dbem",
                        "localhost",
                        5432,
                        "core",
                        "bem",
                        null,
                        "postgresql://bem@localhost:5432/core?options=-c search_path=bem"),
                // JDBC URLs, read by pgjdbc
                Arguments.of(
                        "jdbc:postgresql://localhost:5433/core?user=bem&password=" + SECRET,
                        "localhost",
                        5433,
                        "core",
                        "bem",
                        SECRET,
                        "jdbc:postgresql://bem:***@localhost:5433/core"),
                Arguments.of(
                        "jdbc:postgresql://db.example.org/core?sslmode=require",
                        "db.example.org",
                        5432,
                        "core",
                        null,
                        null,
                        "jdbc:postgresql://db.example.org:5432/core?sslmode=require"),
                Arguments.of(
                        "jdbc:postgresql://db.example.org/core?loginTimeout=.5&socketTimeout=600",
                        "db.example.org",
                        5432,
                        "core",
                        null,
                        null,
                        "jdbc:postgresql://db.example.org:5432/core?loginTimeout=.5&socketTimeout=600"),
                Arguments.of(
                        "jdbc:postgresql:core",
                        "localhost",
                        5432,
                        "core",
                        null,
                        null,
                        "jdbc:postgresql://localhost:5432/core"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("goodUris")
    void parsesEveryAcceptedForm(
            String text, String host, int port, String database, String user, String password, String masked) {
        DatabaseUri uri = DatabaseUri.parse(text, VAR);

        assertThat(uri.host()).isEqualTo(host);
        assertThat(uri.port()).isEqualTo(port);
        assertThat(uri.database()).isEqualTo(database);
        assertThat(uri.user()).isEqualTo(user);
        assertThat(uri.password()).isEqualTo(password);
        assertThat(uri.masked()).isEqualTo(masked);
        assertThat(uri.toString()).isEqualTo(masked);
        assertThat(uri.jdbcUrl()).doesNotContain(SECRET).startsWith("jdbc:postgresql://");
    }

    static Stream<Arguments> badUris() {
        return Stream.of(
                Arguments.of(
                        null,
                        VAR + " is not set: set it to the database URI, e.g. export " + VAR
                                + "=postgresql+psycopg://user:password@localhost:5432/bemserver (or " + VAR
                                + "=embedded for a local embedded PostgreSQL under target/bemserver)"),
                Arguments.of("", VAR + " is empty: set it"),
                Arguments.of("   ", VAR + " is empty: set it"),
                Arguments.of(
                        "mysql://root:" + SECRET + "@localhost/core",
                        "mysql is not supported: this plugin drives PostgreSQL"),
                Arguments.of(
                        "mysql+pymysql://root:" + SECRET + "@localhost/core",
                        "mysql is not supported: this plugin drives PostgreSQL"),
                Arguments.of(
                        "sqlite:///tmp/" + SECRET + ".db", "sqlite is not supported: this plugin drives PostgreSQL"),
                Arguments.of(
                        "jdbc:mysql://localhost/core?password=" + SECRET,
                        "mysql is not supported: this plugin drives PostgreSQL"),
                Arguments.of(
                        "jdbc:oracle:thin:@localhost:1521:" + SECRET,
                        "oracle is not supported: this plugin drives PostgreSQL"),
                Arguments.of("localhost:5432/" + SECRET, VAR + " is not a valid database URI: it has no '://'"),
                Arguments.of(
                        "postgresql//bem:" + SECRET + "@localhost/core",
                        VAR + " is not a valid database URI: it has no '://'"),
                Arguments.of(SECRET, VAR + " is not a valid database URI: it has no '://'"),
                Arguments.of(
                        "://bem:" + SECRET + "@localhost/core",
                        VAR + " is not a valid database URI: its scheme is not a name"),
                Arguments.of(
                        "postgresql://bem:" + SECRET + "@localhost:54x2/core",
                        VAR + " is not a valid database URI: its port is not a number from 1 to 65535"),
                Arguments.of(
                        "postgresql://bem:" + SECRET + "@localhost:70000/core",
                        VAR + " is not a valid database URI: its port is not a number from 1 to 65535"),
                Arguments.of(
                        "postgresql://bem:" + SECRET + "@localhost:0/core",
                        VAR + " is not a valid database URI: its port is not a number from 1 to 65535"),
                Arguments.of(
                        "postgresql://bem:p@ss" + SECRET + "@localhost/core",
                        VAR
                                + " is not a valid database URI: the host part holds '@': write '@' in the password as %40"),
                Arguments.of(
                        "postgresql://bem:" + SECRET + "%zz@localhost/core",
                        VAR + " is not a valid database URI: its password has a broken percent-escape"),
                Arguments.of(
                        "postgresql:///core?host=/var/run/postgresql&password=" + SECRET,
                        VAR + " is not a valid database URI: its host is a Unix socket directory"),
                Arguments.of(
                        "postgresql://bem@localhost/core?target_session_attrs=" + SECRET,
                        VAR + " is not a valid database URI: target_session_attrs must be one of"),
                Arguments.of(
                        "postgresql://bem@localhost/core?" + SECRET + "%3Bdrop=1",
                        VAR + " is not a valid database URI: a query parameter name is not a plain word"),
                Arguments.of(
                        "postgresql://bem:p@ss/" + SECRET + "@db/core",
                        VAR
                                + " is not a valid database URI: the database part holds '@': write '@' in the password as %40"),
                Arguments.of(
                        "jdbc:postgresql://bem:" + SECRET + "@db/core",
                        VAR + " is not a valid database URI: a JDBC URL takes its user and password as parameters"),
                Arguments.of(
                        "jdbc:postgresql://bem:" + SECRET + "@db:5432/core",
                        VAR + " is not a valid database URI: a JDBC URL takes its user and password as parameters"),
                Arguments.of(
                        "jdbc:postgresql://db:5432?user=bem&password=" + SECRET,
                        VAR + " is not a valid database URI: a JDBC URL needs /database after the host"),
                Arguments.of(
                        "postgresql://bem:" + SECRET + "@localhost/core?connect_timeout=ten",
                        VAR + " is not a valid database URI: its connect_timeout is not a number of seconds"),
                // pgjdbc would ignore it, and wait for ever on a server that never answers
                Arguments.of(
                        "jdbc:postgresql://db/core?loginTimeout=abc&password=" + SECRET,
                        VAR + " is not a valid database URI: its loginTimeout is not a number of seconds"),
                Arguments.of(
                        "postgresql://bem@db/core?socketTimeout=-1&password=" + SECRET,
                        VAR + " is not a valid database URI: its socketTimeout is not a number of seconds"),
                Arguments.of(
                        "jdbc:postgresql://h1,h2/core?password=" + SECRET,
                        VAR + " is not a valid database URI: several hosts are not supported yet"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badUris")
    void refusesBadUrisWithAnActionableLineAndNeverShowsThePassword(String text, String expected) {
        Throwable thrown = catchThrowable(() -> DatabaseUri.parse(text, VAR));

        assertThat(thrown).isInstanceOf(ConfigurationException.class);
        assertThat(thrown.getMessage()).startsWith(expected).doesNotContain("\n");
        assertThat(everythingPrintedAbout(thrown)).doesNotContain(SECRET);
    }

    static Stream<String> hostileUris() {
        String longValue = "x".repeat(10_000);
        return Stream.of(
                "postgresql://bem:" + SECRET + "@localhost/core';DROP TABLE users;--",
                "postgresql://bem:" + SECRET + "@localhost/core%27%3B%20DROP%20TABLE%20users%3B--",
                "postgresql://bem\";DROP:" + SECRET + "@localhost/core",
                "postgresql://bem:" + SECRET + "@localhost/core?sslmode=require';DROP TABLE users;--",
                "postgresql://bem:" + SECRET + "@localhost/core?x'%3BDROP=1",
                "postgresql://bem:" + SECRET + "@localhost/core?application_name=%00evil",
                "postgresql://bém:" + SECRET + "@hôte.example/bâse",
                "postgresql://bem:" + SECRET + "@localhost/" + longValue,
                "postgresql://" + longValue + ":" + SECRET + "@localhost/core",
                "postgresql://bem:" + SECRET + longValue + "@localhost/core",
                "postgresql://bem:" + SECRET + "@" + longValue + "/core",
                "postgresql://bem:" + SECRET + "@localhost:" + longValue + "/core",
                "postgresql://bem:" + SECRET + "@localhost/core?" + longValue + "=1",
                "postgresql://bem:" + SECRET + "@localhost/core\nSET ROLE postgres",
                "jdbc:postgresql://localhost/core?password=" + SECRET + "&options=-c%20role%3Dpostgres");
    }

    /**
     * Hostile input either reads as a URI whose parts are exactly what was written (they only ever
     * reach the driver as values, never SQL) or is refused with one line; the password shows in
     * neither.
     */
    @ParameterizedTest
    @MethodSource("hostileUris")
    void hostileUrisAreReadLiterallyOrRefusedWithoutShowingThePassword(String text) {
        try {
            DatabaseUri uri = DatabaseUri.parse(text, VAR);
            assertThat(uri.masked()).doesNotContain(SECRET);
            assertThat(uri.jdbcUrl()).doesNotContain(SECRET);
            if (text.contains("DROP TABLE users") && !text.startsWith("jdbc")) {
                assertThat(uri.database() + uri.parameters()).contains("DROP TABLE users");
            }
        } catch (ConfigurationException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            assertThat(everythingPrintedAbout(e)).doesNotContain(SECRET);
        }
    }

    @Test
    void keepsCredentialsOutOfTheUrlAndInTheDriverProperties() {
        DatabaseUri uri = DatabaseUri.parse("postgresql://bem:" + SECRET + "@localhost/core?sslmode=require", VAR);

        assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/core");
        assertThat(uri.jdbcProperties())
                .containsEntry("user", "bem")
                .containsEntry("password", SECRET)
                .containsEntry("sslmode", "require");
    }

    @Test
    void settingsCredentialsReplaceThoseOfTheUri() {
        DatabaseUri uri = DatabaseUri.parse("postgresql://bem:" + SECRET + "@localhost/core", VAR)
                .withCredentials("deploy", "other");

        assertThat(uri.user()).isEqualTo("deploy");
        assertThat(uri.password()).isEqualTo("other");
        assertThat(uri.masked()).isEqualTo("postgresql://deploy:***@localhost:5432/core");
    }

    @Test
    void tellsLoopbackHostsFromOthersWithoutResolvingNames() {
        assertThat(DatabaseUri.parse("postgresql://localhost/core", VAR).isLoopback())
                .isTrue();
        assertThat(DatabaseUri.parse("postgresql://127.0.0.1/core", VAR).isLoopback())
                .isTrue();
        assertThat(DatabaseUri.parse("postgresql://127.8.0.1/core", VAR).isLoopback())
                .isTrue();
        assertThat(DatabaseUri.parse("postgresql://[::1]/core", VAR).isLoopback())
                .isTrue();
        assertThat(DatabaseUri.parse("postgresql://db.example.org/core", VAR).isLoopback())
                .isFalse();
        assertThat(DatabaseUri.parse("postgresql://10.1.2.3/core", VAR).isLoopback())
                .isFalse();
    }

    @Test
    void parsedValuesNeverPrintThePassword() {
        DatabaseUri uri = new DatabaseUri("postgresql", "h", 5432, "d", "u", SECRET, Map.of("password", SECRET));

        assertThat(uri.toString()).doesNotContain(SECRET);
        assertThat(new Credentials("id", "u", SECRET).toString()).doesNotContain(SECRET);
    }

    @Test
    void anUnsetVariableIsNamedWithAnExample() {
        assertThatThrownBy(() -> DatabaseUri.parse(null, "MY_DB"))
                .hasMessageStartingWith(
                        "MY_DB is not set: set it to the database URI, e.g. export MY_DB=postgresql+psycopg://");
    }

    /** Message, toString and stack trace of the exception and all its causes. */
    static String everythingPrintedAbout(Throwable thrown) {
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            text.append(String.valueOf(cause.getMessage())).append(cause.toString());
        }
        return text.toString();
    }
}
