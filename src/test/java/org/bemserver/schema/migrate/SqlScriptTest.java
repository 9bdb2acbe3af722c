package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    private static List<SqlScript.Statement> split(String text) {
        return SqlScript.parse("test.sql", text).statements();
    }

    @Test
    void splitsOnSemicolonsAndKnowsEachStatementsLine() {
        List<SqlScript.Statement> statements = split("""
                -- a header comment; with a semicolon
                CREATE TABLE a (id int);

                CREATE TABLE b (
                    id int
                );
                INSERT INTO a VALUES (1)""");

        assertThat(statements)
                .extracting(SqlScript.Statement::line, SqlScript.Statement::sql)
                .containsExactly(
                        tuple(2, "CREATE TABLE a (id int)"),
                        tuple(4, "CREATE TABLE b (\n    id int\n)"),
                        tuple(7, "INSERT INTO a VALUES (1)"));
    }

    @Test
    void semicolonsInsideQuotesAndCommentsDoNotSplit() {
        List<SqlScript.Statement> statements = split("""
                INSERT INTO t VALUES ('a;b', 'it''s; fine', E'esc\\'; aped', "odd;name");
                /* block; /* nested; */ still comment; */ SELECT 1;
                SELECT 2 -- trailing; comment
                ;""");

        assertThat(statements).extracting(SqlScript.Statement::line).containsExactly(1, 2, 3);
        assertThat(statements.get(0).sql()).endsWith("\"odd;name\")");
        assertThat(statements.get(1).sql()).endsWith("SELECT 1");
    }

    @Test
    void dollarQuotedBodiesAreOneStatement() {
        List<SqlScript.Statement> statements = split("""
                CREATE FUNCTION f() RETURNS trigger AS $func$
                DECLARE x int;
                BEGIN
                    RAISE EXCEPTION 'no; way';
                END;
                $func$ LANGUAGE plpgsql;;
                CREATE FUNCTION g() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
                SELECT $1, a$b FROM t;""");

        assertThat(statements).extracting(SqlScript.Statement::line).containsExactly(1, 7, 8);
        assertThat(statements.get(0).sql()).endsWith("$func$ LANGUAGE plpgsql");
    }

    @Test
    void sqlStandardFunctionBodiesAreOneStatement() {
        List<SqlScript.Statement> statements = split("""
                CREATE FUNCTION h(x int) RETURNS text LANGUAGE sql
                BEGIN ATOMIC
                    SELECT CASE WHEN x > 0 THEN 'pos' ELSE 'neg' END;
                    SELECT 'done';
                END;
                SELECT h(1);""");

        assertThat(statements).extracting(SqlScript.Statement::line).containsExactly(1, 6);
    }

    @Test
    void semicolonsInsideParenthesesDoNotSplit() {
        List<SqlScript.Statement> statements = split("""
                CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));
                SELECT 1;""");

        assertThat(statements).extracting(SqlScript.Statement::line).containsExactly(1, 2);
    }

    @Test
    void beginAtomicCountsOnlyInRoutineBodies() {
        assertThat(split("SELECT begin, atomic FROM t; SELECT 2;")).hasSize(2);
        assertThat(split("SELECT 1 AS begin atomic; SELECT 2;")).hasSize(2);
        assertThat(
                        split(
                                "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END; SELECT 2;"))
                .hasSize(2);
    }

    @Test
    void transactionControlAndCopyDataReadDifferentlyAreRefusedWithAReason() {
        List<SqlScript.Statement> statements =
                split("COPY t (a) FROM stdin;\n\\.\nCOMMIT; SELECT 1;\nCOPY t (a) FROM stdin;\n1\n \\.\n");

        // fed its rows by the plugin as by psql and Flyway
        assertThat(statements.get(0).refusal()).isNull();
        assertThat(statements.get(3).refusal())
                .isEqualTo("its data have no line \\. alone that ends them (Flyway also ends them at a \\. among "
                        + "spaces, psql does not): end the rows with a line holding \\. alone");
        assertThat(statements.get(1).refusal())
                .isEqualTo("it ends or starts a transaction itself: remove it, the plugin manages the transaction");
        assertThat(statements.get(2).refusal()).isNull();
    }

    @Test
    void theDataLinesOfCopyFromStdinAreNoSqlAndTravelWithTheCopy() {
        String copy = "COPY people (id, name) FROM stdin;";
        String data = "1\tO'Brien\n2\t$$ -- ; /*\n\\.";
        List<SqlScript.Statement> statements =
                split("SELECT 1;\n" + copy + " -- rows\n" + data + "\nSELECT 2; COPY t FROM STDIN WITH (FORMAT csv);");

        // O'Brien opens no quote: the statement after the data is found, on its own line
        assertThat(statements).extracting(SqlScript.Statement::line).containsExactly(1, 2, 6, 6);
        // what follows the COPY's ; up to the \. line, as written
        assertThat(statements.get(1).data()).isEqualTo(" -- rows\n" + data);
        assertThat(statements.get(1).copyRows()).isEqualTo("1\tO'Brien\n2\t$$ -- ; /*\n");
        assertThat(statements.get(1).refusal()).isNull();
        // as psql reads it: the data on the lines after the COPY, then the next statement
        assertThat(statements.get(1).terminated()).isEqualTo(copy + " -- rows\n" + data);
        assertThat(statements.get(2).sql()).isEqualTo("SELECT 2");
        assertThat(statements.get(2).data()).isNull();
        // a COPY that ends the script has no data lines
        assertThat(statements.get(3).data()).isEmpty();
        // data without their \. line run to the end of the script, as in psql
        assertThat(split("COPY t FROM stdin;\n1\n2").get(0).data()).isEqualTo("\n1\n2");
        // Flyway ends them at a \. among spaces, and so does the split (migrationProblem refuses it)
        assertThat(split("COPY t FROM stdin;\n1\n \\. \nSELECT 3;"))
                .extracting(SqlScript.Statement::sql)
                .containsExactly("COPY t FROM stdin", "SELECT 3");
    }

    @Test
    void aStatementEndingInACommentIsTerminatedOnItsOwnLine() {
        List<SqlScript.Statement> statements = split("SELECT 2 -- trailing\n;\nSELECT 3;");

        assertThat(statements.get(0).terminated()).isEqualTo("SELECT 2 -- trailing\n;");
        assertThat(statements.get(1).terminated()).isEqualTo("SELECT 3;");
    }

    @Test
    void doubledTerminatorsAndEmptyScriptsGiveNoEmptyStatements() {
        assertThat(split(";;\n;\n")).isEmpty();
        assertThat(split("-- only a comment\n")).isEmpty();
        assertThat(split("\uFEFFSELECT 1;;"))
                .extracting(SqlScript.Statement::sql)
                .containsExactly("SELECT 1");
    }

    @Test
    void wordsAreUpperCaseWithCommentsDroppedAndWhitespaceFoldedButQuotedTextKept() {
        List<SqlScript.Statement> statements = split("""
                create  index /* why; /* nested */ still */ concurrently
                  ix_a on a(id) -- trailing
                ;
                SELECT '--kept', 'a  /* kept */'  ,f( x ) ;""");

        assertThat(statements)
                .extracting(SqlScript.Statement::words)
                .containsExactly("CREATE INDEX CONCURRENTLY IX_A ON A (ID)", "SELECT '--KEPT', 'A /* KEPT */' ,F (X)");
    }

    @Test
    void knowsWhichStatementsCannotRunInATransaction() {
        List<SqlScript.Statement> statements = split("""
                CREATE INDEX ix_a ON a (id);
                CREATE INDEX CONCURRENTLY ix_b ON b (id);
                create unique index   concurrently ix_c on c (id);
                -- why
                DROP INDEX CONCURRENTLY ix_b;
                REINDEX TABLE CONCURRENTLY a;
                VACUUM a;
                ALTER SYSTEM SET work_mem = '8MB';
                CREATE DATABASE other;
                SELECT 'CREATE INDEX CONCURRENTLY';
                REINDEX SCHEMA public;
                REINDEX INDEX ix_concurrently;
                REINDEX (VERBOSE) TABLE CONCURRENTLY a;
                ALTER TABLE m DETACH PARTITION m_2026 CONCURRENTLY;
                ALTER SUBSCRIPTION s REFRESH PUBLICATION;
                ALTER SUBSCRIPTION s SET PUBLICATION p;
                ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false);
                ALTER SUBSCRIPTION s DISABLE;
                alter subscription s add publication p with (copy_data = false, refresh=off);
                ALTER SUBSCRIPTION s SET (failover = true);""");

        assertThat(statements)
                .extracting(SqlScript.Statement::canRunInTransaction)
                .containsExactly(
                        true, false, false, false, false, false, false, false, true, false, true, false, false, false,
                        false, true, true, true, false);
    }

    @Test
    void aMigrationFlywayWouldRunInTheWrongTransactionIsAProblemThatItsConfFileSolves() {
        SqlScript reindex = SqlScript.parse("V2__r.sql", "REINDEX INDEX CONCURRENTLY ix;\n");
        assertThat(reindex.migrationProblem(false))
                .isEqualTo("V2__r.sql line 1 (REINDEX INDEX CONCURRENTLY ix) cannot run in a transaction, and Flyway "
                        + "runs V2__r.sql in one (it runs only the statements it knows outside one): write "
                        + "V2__r.sql.conf holding executeInTransaction=false, or move it to a revision of its own");
        SqlScript outside = reindex.configured(new ScriptConfig(false, null));
        assertThat(outside.migrationProblem(false)).isNull();
        assertThat(outside.runsInTransaction()).isFalse();
        assertThat(reindex.configured(new ScriptConfig(true, null)).migrationProblem(false))
                .contains("V2__r.sql.conf sets executeInTransaction=true");

        // Flyway runs these outside a transaction itself, REINDEX (VERBOSE) SCHEMA included
        for (String script : List.of("REINDEX (VERBOSE) SCHEMA public;", "CREATE INDEX CONCURRENTLY ix ON t (c);")) {
            assertThat(SqlScript.parse("V3__a.sql", script).migrationProblem(false))
                    .as(script)
                    .isNull();
        }
        // beside a statement it runs in one, only with mixed, as Flyway
        SqlScript mixed =
                SqlScript.parse("V4__m.sql", "CREATE TABLE t (c int);\nCREATE INDEX CONCURRENTLY ix ON t (c);");
        assertThat(mixed.migrationProblem(false)).contains("allow it with -Dbemserver.mixed=true");
        assertThat(mixed.migrationProblem(true)).isNull();
        assertThat(mixed.configured(new ScriptConfig(false, null)).migrationProblem(false))
                .isNull();
    }

    @Test
    void copyDataThatPsqlAndFlywayReadDifferentlyIsAProblem() {
        // SQL after the COPY on its line: psql runs it after the data, Flyway skips it (so the split does)
        for (String script : List.of(
                "COPY t FROM stdin; INSERT INTO t VALUES (2);\n1\n\\.\n",
                "COPY t FROM stdin -- rows\n; INSERT INTO t VALUES (2);\n1\n\\.\n",
                "COPY t FROM stdin; /* rows\n follow */\n1\n\\.\n")) {
            SqlScript after = SqlScript.parse("V2__c.sql", script);
            assertThat(after.statements()).as(script).hasSize(1);
            assertThat(after.migrationProblem(false))
                    .as(script)
                    .startsWith("V2__c.sql line 1 (COPY t FROM stdin")
                    .contains(": it is followed on its line by ")
                    .endsWith(", which psql runs after the data and Flyway skips: put it on a line of its own after "
                            + "the data");
        }
        // data without the \. line alone that ends them: psql would read the rest as rows
        for (String script :
                List.of("COPY t FROM stdin;\n1\n", "COPY t FROM stdin;", "COPY t FROM stdin;\n1\n \\.\n2\n\\.\n")) {
            assertThat(SqlScript.parse("V3__c.sql", script).migrationProblem(false))
                    .as(script)
                    .isEqualTo("V3__c.sql line 1 (COPY t FROM stdin): its data have no line \\. alone that ends them "
                            + "(Flyway also ends them at a \\. among spaces, psql does not): end the rows with a line "
                            + "holding \\. alone");
        }
        assertThat(SqlScript.parse("V4__c.sql", "COPY t FROM stdin; -- rows\r\n1\r\n\\.\r\nSELECT 1;\r\n")
                        .migrationProblem(false))
                .isNull();
    }

    @Test
    void knowsWhichStatementsChangeTheSession() {
        assertThat(SqlScript.parse("a", "SET ROLE app;").changesSession()).isTrue();
        assertThat(SqlScript.parse("a", "-- as the owner\nset  session role app;")
                        .changesSession())
                .isTrue();
        assertThat(SqlScript.parse("a", "SET search_path = app, public;").changesSession())
                .isTrue();
        assertThat(SqlScript.parse("a", "SET SCHEMA 'app';").changesSession()).isTrue();
        assertThat(SqlScript.parse("a", "SET LOCAL ROLE app;").changesSession()).isTrue();
        assertThat(SqlScript.parse("a", "RESET ALL;").changesSession()).isTrue();
        assertThat(SqlScript.parse("a", "SELECT pg_catalog.set_config('search_path', '', false);")
                        .changesSession())
                .isTrue();
        assertThat(SqlScript.parse(
                                "a",
                                "CREATE TABLE t (id int);\nSET LOCAL statement_timeout = 0;\n"
                                        + "ALTER TABLE t ALTER COLUMN id SET NOT NULL;\nCOMMENT ON TABLE t IS 'SET ROLE x';")
                        .changesSession())
                .isFalse();
    }

    @Test
    void knowsTransactionControlStatements() {
        List<SqlScript.Statement> statements = split("BEGIN; COMMIT; ROLLBACK; START TRANSACTION; END; SELECT 1; "
                + "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;");

        assertThat(statements)
                .extracting(SqlScript.Statement::isTransactionControl)
                .containsExactly(true, true, true, true, true, false, false);
    }

    @Test
    void splitsEveryBemserverCoreScript() throws Exception {
        Path migrations = Path.of(
                getClass().getResource("/corpus/bemserver-core/db/migration").toURI());
        try (Stream<Path> files = Files.list(migrations)) {
            for (Path file : files.toList()) {
                SqlScript script = SqlScript.parse(file.getFileName().toString(), Files.readString(file));
                assertThat(script.statements())
                        .as(file.getFileName().toString())
                        .isNotEmpty()
                        .allMatch(SqlScript.Statement::canRunInTransaction)
                        .noneMatch(SqlScript.Statement::isTransactionControl);
            }
        }
        SqlScript first = SqlScript.parse("V0.1", Files.readString(migrations.resolve("V0.1__v0_1.sql")));
        // the plpgsql function and its 27 triggers end in ';;' and stay whole
        assertThat(first.statements())
                .filteredOn(s -> s.sql().startsWith("CREATE TRIGGER"))
                .hasSize(27);
        assertThat(first.statements())
                .filteredOn(s -> s.sql().startsWith("CREATE OR REPLACE FUNCTION")
                        || s.sql().startsWith("CREATE FUNCTION"))
                .singleElement()
                .satisfies(s -> assertThat(s.sql()).contains("END;"));
    }
}
