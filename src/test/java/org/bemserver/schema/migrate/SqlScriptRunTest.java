package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bemserver.testing.EngineTest;
import org.junit.jupiter.api.Test;

/** How a script's statements reach a real server: in one round trip inside a transaction, one by one otherwise. */
class SqlScriptRunTest extends EngineTest {

    private final AtomicInteger statementsCreated = new AtomicInteger();

    /** A real connection that counts the JDBC statements created on it (one per round trip here). */
    private Connection counted(Connection real) {
        return (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createStatement")) {
                        statementsCreated.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private String value(String sql) {
        return server.value(uri.database(), sql);
    }

    @Test
    void inATransactionTheWholeScriptGoesInOneRoundTripAndParsesAsOurSplitterDoes() throws Exception {
        SqlScript script = SqlScript.parse("V1__tricky.sql", """
                CREATE TABLE t (id int PRIMARY KEY, note text);
                INSERT INTO t VALUES (1, 'a;b'), (2, E'it\\'s; escaped'), (3, $q$dollar; quoted$q$);
                CREATE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql AS $$
                BEGIN
                    RETURN x + 1; -- a comment; with a semicolon
                END;
                $$;
                SELECT setval(pg_get_serial_sequence('t', 'id'), 1) WHERE false; -- ends in a comment
                INSERT INTO t VALUES (4, 'last')
                """);
        try (Connection connection = counted(database.connect())) {
            connection.setAutoCommit(false);
            script.run(connection);
            connection.commit();
        }
        assertThat(statementsCreated).hasValue(1);
        assertThat(server.column(uri.database(), "SELECT note FROM t ORDER BY id"))
                .containsExactly("a;b", "it's; escaped", "dollar; quoted", "last");
        assertThat(value("SELECT f(1)")).isEqualTo("2");
    }

    @Test
    void aScriptWithASqlStandardFunctionBodyGoesStatementByStatement() throws Exception {
        // pgjdbc would send "... END; SELECT ..." as one command, which the server refuses
        SqlScript script = SqlScript.parse("V1__atomic.sql", """
                CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql
                BEGIN ATOMIC
                    SELECT x + 1;
                    SELECT x + 2;
                END;
                CREATE TABLE t AS SELECT g(1) AS v;
                """);
        try (Connection connection = counted(database.connect())) {
            connection.setAutoCommit(false);
            script.run(connection);
            connection.commit();
        }
        assertThat(statementsCreated).hasValue(2);
        assertThat(value("SELECT v FROM t")).isEqualTo("3");
    }

    @Test
    void aFailureIsFoundByReplayingTheScriptOneStatementAtATime() throws Exception {
        SqlScript script = SqlScript.parse("V1__fails.sql", """
                CREATE TABLE t (id int);
                INSERT INTO t VALUES (1);

                INSERT INTO no_such_table VALUES (2);
                INSERT INTO t VALUES (3);
                """);
        try (Connection connection = counted(database.connect())) {
            connection.setAutoCommit(false);
            assertThatThrownBy(() -> script.run(connection))
                    .isInstanceOf(SqlScript.StatementFailure.class)
                    .satisfies(e -> {
                        SqlScript.StatementFailure failure = (SqlScript.StatementFailure) e;
                        assertThat(failure.where()).isEqualTo("at line 4");
                        assertThat(failure.statement().sql()).isEqualTo("INSERT INTO no_such_table VALUES (2)");
                        assertThat(failure.sqlException().getSQLState()).isEqualTo("42P01");
                    });
            connection.rollback();
        }
        // one round trip, then the replay of the three statements up to the failing one
        assertThat(statementsCreated).hasValue(1 + 3);
        assertThat(value("SELECT count(*) FROM pg_class WHERE relname = 't'")).isEqualTo("0");
    }

    @Test
    void aFailureThatDoesNotHappenAgainOnReplayCompletesTheScript() throws Exception {
        // a sequence is not rolled back: the first run divides by zero, the replay does not
        try (Connection owner = database.connect()) {
            owner.createStatement().execute("CREATE SEQUENCE s");
        }
        SqlScript script = SqlScript.parse("V1__transient.sql", """
                CREATE TABLE t (id int);
                INSERT INTO t SELECT 1 / (nextval('s') - 1)::int;
                INSERT INTO t VALUES (2);
                """);
        try (Connection connection = counted(database.connect())) {
            connection.setAutoCommit(false);
            connection.createStatement().execute("CREATE TABLE before_the_script (id int)");
            script.run(connection);
            connection.commit();
        }
        // the work before the script stays; the script ran once, in full, by the replay
        assertThat(statementsCreated).hasValue(1 + 1 + 3);
        assertThat(server.column(uri.database(), "SELECT id::text FROM t ORDER BY id"))
                .containsExactly("1", "2");
        assertThat(value("SELECT count(*) FROM pg_class WHERE relname = 'before_the_script'"))
                .isEqualTo("1");
    }

    @Test
    void scriptsRunTogetherGoInOneRoundTripInOrder() throws Exception {
        List<SqlScript> scripts = List.of(
                SqlScript.parse("U3__c.sql", "CREATE TABLE t (id int);"),
                SqlScript.parse(
                        "U2__b.sql", "INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2); -- ends in a comment"),
                SqlScript.parse("U1__a.sql", "UPDATE t SET id = id * 10"));
        assertThat(scripts).allMatch(SqlScript::canRunTogether);
        try (Connection connection = counted(database.connect())) {
            connection.setAutoCommit(false);
            assertThat(SavepointRunner.runTogether(connection, scripts)).isTrue();
            connection.commit();
        }
        assertThat(statementsCreated).hasValue(1);
        assertThat(server.column(uri.database(), "SELECT id::text FROM t ORDER BY id"))
                .containsExactly("10", "20");
    }

    @Test
    void scriptsRefusedTogetherLeaveNothingOfThemAndTheWorkBeforeThemStays() throws Exception {
        List<SqlScript> scripts = List.of(
                SqlScript.parse("U2__b.sql", "CREATE TABLE t (id int);"),
                SqlScript.parse("U1__a.sql", "INSERT INTO t VALUES (1);\nINSERT INTO no_such_table VALUES (2);"));
        try (Connection connection = counted(database.connect())) {
            connection.setAutoCommit(false);
            connection.createStatement().execute("CREATE TABLE before_the_scripts (id int)");
            assertThat(SavepointRunner.runTogether(connection, scripts)).isFalse();
            // the transaction goes on, without the scripts' work
            connection.createStatement().execute("CREATE TABLE after_the_scripts (id int)");
            connection.commit();
        }
        assertThat(statementsCreated).hasValue(1 + 1 + 1);
        assertThat(server.column(
                        uri.database(),
                        "SELECT relname::text FROM pg_class WHERE relname IN "
                                + "('t', 'before_the_scripts', 'after_the_scripts') ORDER BY relname"))
                .containsExactly("after_the_scripts", "before_the_scripts");
    }

    @Test
    void scriptsThatChangeTheSessionOrHoldAFunctionBodyDoNotRunTogether() {
        assertThat(SqlScript.parse("U1__a.sql", "SET search_path = app;\nDROP TABLE t;")
                        .canRunTogether())
                .isFalse();
        assertThat(SqlScript.parse("U1__a.sql", "SET ROLE app;").canRunTogether())
                .isFalse();
        assertThat(SqlScript.parse(
                                "U1__a.sql", "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;")
                        .canRunTogether())
                .isFalse();
        assertThat(SqlScript.parse("U1__a.sql", "DROP INDEX CONCURRENTLY ix;").canRunTogether())
                .isFalse();
        assertThat(SqlScript.parse("U1__a.sql", "DROP TABLE t;\nDROP TYPE k;").canRunTogether())
                .isTrue();
    }

    @Test
    void withoutATransactionEachStatementGoesAlone() throws Exception {
        SqlScript script = SqlScript.parse("V1__plain.sql", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n");
        try (Connection connection = counted(database.connect())) {
            script.run(connection);
        }
        assertThat(statementsCreated).hasValue(2);
        assertThat(value("SELECT count(*) FROM pg_class WHERE relname IN ('a', 'b')"))
                .isEqualTo("2");
    }
}
