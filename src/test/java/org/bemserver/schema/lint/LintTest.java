package org.bemserver.schema.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.OutputFile;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.JunitXml;
import org.bemserver.testing.Scripts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of db-lint on a real PostgreSQL: a statement that must trigger it, and the safe
 * alternative that must not. Revision 1 is the live schema before; revision 2 is linted.
 */
class LintTest extends EngineTest {

    private static final String MIGRATIONS = "src/main/resources/db/migration";

    /** The tables that exist before the linted revision. */
    private static final String BASE = "CREATE TABLE campaigns (id serial PRIMARY KEY, name text);\n"
            + "CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL, lat float8, "
            + "campaign_id int, code text);\n";

    private LintResult lint(String base, String revision, String lockTimeout, String since) {
        return lint(base, revision, lockTimeout, since, Map.of());
    }

    private LintResult lint(String base, String revision, String lockTimeout, String since, Map<String, String> sizes) {
        return lint(base, List.of(revision), lockTimeout, since, sizes);
    }

    /** {@code revisions} as V2, V3 and so on, after V1 of {@link #BASE} and {@code base}. */
    private LintResult lint(
            String base, List<String> revisions, String lockTimeout, String since, Map<String, String> sizes) {
        Scripts scripts = new Scripts(project.resolve(MIGRATIONS)).write("V1__base.sql", BASE + base);
        for (int i = 0; i < revisions.size(); i++) {
            scripts.write("V" + (i + 2) + (i == 0 ? "__change.sql" : "__next.sql"), revisions.get(i));
        }
        ProjectBuilds builds = new ProjectBuilds(
                new MigrationSettings(
                        project, List.of(MIGRATIONS), List.of("public"), "flyway_schema_history", Map.of()),
                List.of(),
                List.of());
        assertThat(scripts.directory()).isDirectory();
        try (Throwaway throwaway = Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10))) {
            return new Lint(builds, lockTimeout, reporter).run(throwaway, since, null, sizes);
        }
    }

    /** What a statement reads when it touched no table that existed before the revision. */
    private static final String UNTOUCHED = "no new lock on a table that existed before the revision";

    /** Each statement's line and what was measured: {@code 6: ACCESS EXCLUSIVE on public.sites}. */
    private static List<String> measured(List<LintResult.StatementLint> statements) {
        return statements.stream()
                .map(statement -> statement.line() + ": " + statement.measured())
                .toList();
    }

    private static List<String> rules(LintResult result) {
        return result.revisions().stream()
                .flatMap(LintResult.RevisionLint::counted)
                .map(Finding::rule)
                .distinct()
                .sorted()
                .toList();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // rewrites
                Arguments.of(
                        "type change that rewrites",
                        "",
                        "ALTER TABLE sites ALTER COLUMN lat TYPE numeric",
                        List.of("lock-timeout", "narrow-type", "table-rewrite")),
                Arguments.of(
                        "varchar widened: no rewrite",
                        "",
                        "ALTER TABLE sites ALTER COLUMN name TYPE varchar(120)",
                        List.of("lock-timeout")),
                Arguments.of(
                        "varchar to text: no rewrite",
                        "",
                        "ALTER TABLE sites ALTER COLUMN name TYPE text",
                        List.of("lock-timeout")),
                Arguments.of(
                        "varchar narrowed",
                        "",
                        "ALTER TABLE sites ALTER COLUMN name TYPE varchar(40)",
                        List.of("lock-timeout", "narrow-type", "table-rewrite")),
                Arguments.of(
                        "a type renamed changes no column, even of a table the revision locked before",
                        "CREATE TYPE kind AS ENUM ('a', 'b');\nALTER TABLE sites ADD COLUMN kind kind;\n",
                        "SET lock_timeout = '2s';\nSELECT count(*) FROM sites;\nALTER TYPE kind RENAME TO kind_old",
                        List.of()),
                Arguments.of(
                        "a column moved to a new enum after renaming the old one",
                        "CREATE TYPE kind AS ENUM ('a', 'b');\nALTER TABLE sites ADD COLUMN kind kind;\n",
                        "SET lock_timeout = '2s';\nALTER TYPE kind RENAME TO kind_old;\n"
                                + "CREATE TYPE kind AS ENUM ('a');\n"
                                + "ALTER TABLE sites ALTER COLUMN kind TYPE kind USING kind::text::kind",
                        List.of("narrow-type", "table-rewrite")),
                Arguments.of(
                        "volatile default rewrites",
                        "",
                        "ALTER TABLE sites ADD COLUMN created_at timestamptz DEFAULT clock_timestamp()",
                        List.of("lock-timeout", "table-rewrite")),
                Arguments.of(
                        "constant default: no rewrite",
                        "",
                        "ALTER TABLE sites ADD COLUMN archived boolean NOT NULL DEFAULT false",
                        List.of("lock-timeout")),
                // scans under a lock that blocks writes
                Arguments.of(
                        "CHECK validated at once",
                        "",
                        "ALTER TABLE sites ADD CONSTRAINT lat_range CHECK (lat > -90)",
                        List.of("check-validation", "lock-timeout")),
                Arguments.of(
                        "CHECK NOT VALID",
                        "",
                        "ALTER TABLE sites ADD CONSTRAINT lat_range CHECK (lat > -90) NOT VALID",
                        List.of("lock-timeout")),
                Arguments.of(
                        "VALIDATE CONSTRAINT",
                        "ALTER TABLE sites ADD CONSTRAINT lat_range CHECK (lat > -90) NOT VALID;",
                        "ALTER TABLE sites VALIDATE CONSTRAINT lat_range",
                        List.of()),
                Arguments.of(
                        "index without CONCURRENTLY",
                        "",
                        "CREATE INDEX ix_sites_name ON sites (name)",
                        List.of("index-without-concurrently")),
                Arguments.of(
                        "unique index without CONCURRENTLY",
                        "",
                        "CREATE UNIQUE INDEX ux_sites_name ON sites (name)",
                        List.of("index-without-concurrently")),
                Arguments.of(
                        "index CONCURRENTLY", "", "CREATE INDEX CONCURRENTLY ix_sites_name ON sites (name)", List.of()),
                Arguments.of(
                        "foreign key validated at once",
                        "",
                        "ALTER TABLE sites ADD CONSTRAINT fk_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id)",
                        List.of("foreign-key-validation")), // SHARE ROW EXCLUSIVE on both: no ACCESS EXCLUSIVE
                Arguments.of(
                        "foreign key NOT VALID",
                        "",
                        "ALTER TABLE sites ADD CONSTRAINT fk_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) "
                                + "NOT VALID",
                        List.of()),
                Arguments.of(
                        "SET NOT NULL scans",
                        "",
                        "ALTER TABLE sites ALTER COLUMN lat SET NOT NULL",
                        List.of("lock-timeout", "not-null-scan")),
                Arguments.of(
                        "SET NOT NULL after a validated CHECK skips the scan",
                        "ALTER TABLE sites ADD CONSTRAINT lat_present CHECK (lat IS NOT NULL);",
                        "ALTER TABLE sites ALTER COLUMN lat SET NOT NULL",
                        List.of("lock-timeout")),
                Arguments.of(
                        "UNIQUE constraint built at once",
                        "",
                        "ALTER TABLE sites ADD CONSTRAINT uq_code UNIQUE (code)",
                        List.of("lock-timeout", "unique-scan")),
                Arguments.of(
                        "UNIQUE constraint USING INDEX",
                        "CREATE UNIQUE INDEX uq_code ON sites (code);",
                        "ALTER TABLE sites ADD CONSTRAINT uq_code UNIQUE USING INDEX uq_code",
                        List.of("lock-timeout")),
                // what breaks the running version
                Arguments.of(
                        "column dropped",
                        "",
                        "ALTER TABLE sites DROP COLUMN lat",
                        List.of("drop-column", "lock-timeout")),
                Arguments.of(
                        "column renamed",
                        "",
                        "ALTER TABLE sites RENAME COLUMN lat TO latitude",
                        List.of("drop-column", "lock-timeout")),
                Arguments.of("table dropped", "", "DROP TABLE campaigns", List.of("drop-table", "lock-timeout")),
                Arguments.of(
                        "table renamed",
                        "",
                        "ALTER TABLE campaigns RENAME TO programs",
                        List.of("lock-timeout", "rename-table")),
                Arguments.of(
                        "NOT NULL column without default",
                        "",
                        "ALTER TABLE sites ADD COLUMN zone text NOT NULL",
                        // PostgreSQL scans the table for rows the new column would leave null
                        List.of("lock-timeout", "not-null-without-default", "scan-under-lock")),
                Arguments.of("nullable column", "", "ALTER TABLE sites ADD COLUMN zone text", List.of("lock-timeout")),
                // lock timeout and lock count
                Arguments.of(
                        "lock_timeout set in the script",
                        "",
                        "SET lock_timeout = '5s';\nALTER TABLE sites ADD COLUMN zone text",
                        List.of()),
                Arguments.of(
                        "two existing tables locked ACCESS EXCLUSIVE",
                        "",
                        "SET lock_timeout = '5s';\nALTER TABLE sites ADD COLUMN zone text;\n"
                                + "ALTER TABLE campaigns ADD COLUMN zone text",
                        List.of("many-exclusive-locks")),
                Arguments.of(
                        "one existing table, twice",
                        "",
                        "SET lock_timeout = '5s';\nALTER TABLE sites ADD COLUMN zone text;\nALTER TABLE sites ADD COLUMN area int",
                        List.of()),
                // a table of the same revision is free
                Arguments.of(
                        "new table: anything goes",
                        "",
                        "CREATE TABLE zones (id serial PRIMARY KEY, name text, site_id int REFERENCES sites (id));\n"
                                + "CREATE INDEX ix_zones_name ON zones (name);\n"
                                + "ALTER TABLE zones ADD CONSTRAINT name_set CHECK (name <> '');\n"
                                + "ALTER TABLE zones ALTER COLUMN name SET NOT NULL",
                        List.of()), // the reference to sites takes SHARE ROW EXCLUSIVE and scans nothing
                Arguments.of(
                        "data migration: no lock that blocks", "", "UPDATE sites SET name = upper(name)", List.of()),
                Arguments.of("storage parameter", "", "ALTER TABLE sites SET (fillfactor = 70)", List.of()),
                Arguments.of(
                        "suppressed with a reason",
                        "",
                        "-- lint:ignore sites holds a few hundred rows\nCREATE INDEX ix_sites_name ON sites (name)",
                        List.of()),
                Arguments.of(
                        "suppression without a reason",
                        "",
                        "-- lint:ignore\nCREATE INDEX ix_sites_name ON sites (name)",
                        List.of("index-without-concurrently", "lint-ignore")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachRuleIsMeasured(String name, String base, String revision, List<String> expected) {
        assertThat(rules(lint(base, revision, null, null))).as(name).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void liveSizesLabelTheTablesAndChangeNoFinding() {
        // the sizes come from the live database: the rules must still see the tables' bare names
        LintResult result = lint(
                "",
                "SET lock_timeout = '5s';\nALTER TABLE campaigns RENAME TO programs;\n"
                        + "ALTER TABLE sites DROP COLUMN code",
                null,
                null,
                Map.of("public.campaigns", "48 GB, 310 M rows", "public.sites", "1352 kB, 20 k rows"));
        assertThat(result.revisions().stream()
                        .flatMap(LintResult.RevisionLint::counted)
                        .map(finding -> finding.rule() + ": " + finding.message()))
                .containsExactly(
                        "rename-table: renames public.campaigns (48 GB, 310 M rows) to public.programs: the "
                                + "application version still running uses the old name",
                        "drop-column: drops or renames column code of public.sites (1352 kB, 20 k rows): the "
                                + "application version still running reads it",
                        "many-exclusive-locks: holds ACCESS EXCLUSIVE on 2 existing tables at once (public.campaigns "
                                + "(48 GB, 310 M rows), public.sites (1352 kB, 20 k rows)) until it commits: every "
                                + "query on any of them waits, and lock-order deadlocks with the application become "
                                + "possible");
    }

    @org.junit.jupiter.api.Test
    void aConfiguredLockTimeoutClearsTheWarning() {
        assertThat(rules(lint("", "ALTER TABLE sites ADD COLUMN zone text", "5s", null)))
                .isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theReportSaysWhatWasMeasuredAndWhatStaticLintersWouldHaveFlagged() throws Exception {
        LintResult result = lint(
                "",
                "ALTER TABLE sites ADD COLUMN archived boolean NOT NULL DEFAULT false;\n"
                        + "-- lint:ignore sites holds a few hundred rows\n"
                        + "CREATE INDEX ix_sites_name ON sites (name);\n"
                        + "ALTER TABLE sites ADD CONSTRAINT lat_range CHECK (lat > -90);\n",
                "5s",
                null);
        OutputFile file = new OutputFile(project.resolve("target/bemserver/lint-report.txt"), project, "lint report");
        OutputFile xml = new OutputFile(project.resolve("target/bemserver/lint-report.xml"), project, "lint XML");
        assertThatThrownBy(() -> result.finish(LintResult.FailOn.ERROR, file, xml, reporter))
                .isInstanceOf(MigrationException.class)
                .hasMessage("db-lint found 1 error and 0 warnings (listed above and in "
                        + "target/bemserver/lint-report.txt): apply the fixes, or mark a statement that is safe with "
                        + "-- lint:ignore <reason> on the line above it");
        assertThat(Files.readAllLines(project.resolve("target/bemserver/lint-report.txt")))
                .containsExactly(
                        "Revision 2 - change (V2__change.sql)",
                        "  line 1: ALTER TABLE sites ADD COLUMN archived boolean NOT NULL DE...",
                        "    measured: ACCESS EXCLUSIVE on public.sites",
                        "    cleared by measurement: ADD COLUMN ... DEFAULT (static linters assume a rewrite)",
                        "  line 3: CREATE INDEX ix_sites_name ON sites (name)",
                        "    measured: SHARE on public.sites; full scan of public.sites",
                        // the build runs while the transaction holds line 1's ACCESS EXCLUSIVE
                        "    ignored (lint:ignore sites holds a few hundred rows): error [index-without-concurrently] "
                                + "builds an index on public.sites under ACCESS EXCLUSIVE: reads and writes wait for the "
                                + "whole build",
                        "  line 4: ALTER TABLE sites ADD CONSTRAINT lat_range CHECK (lat > -90)",
                        "    measured: full scan of public.sites",
                        "    error [check-validation] scans public.sites in full under ACCESS EXCLUSIVE: reads and "
                                + "writes wait for the whole scan",
                        "      fix: ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later "
                                + "revision (SHARE UPDATE EXCLUSIVE: reads and writes go on)",
                        "Lint: 1 error, 0 warnings in 1 revision (3 statements)");
        JunitXml junit = JunitXml.read(project.resolve("target/bemserver/lint-report.xml"));
        assertThat(junit.outcomes())
                .containsExactly(
                        Map.entry(
                                "V2__change.sql:1 ALTER TABLE sites ADD COLUMN archived boolean NOT NULL DE...",
                                "passed"),
                        Map.entry("V2__change.sql:3 CREATE INDEX ix_sites_name ON sites (name)", "passed"),
                        Map.entry(
                                "V2__change.sql:4 ALTER TABLE sites ADD CONSTRAINT lat_range CHECK (lat > -90)",
                                "failed: error [check-validation] scans public.sites in full under ACCESS EXCLUSIVE: "
                                        + "reads and writes wait for the whole scan"));
        assertThat(result.toJson("target/bemserver/lint-report.txt"))
                .startsWith(
                        "{\"revisions\":[{\"revision\":\"2\",\"script\":\"V2__change.sql\",\"statements\":[{\"line\":1,")
                .contains("{\"rule\":\"check-validation\",\"level\":\"error\",")
                .contains("\"ignored\":\"sites holds a few hundred rows\"")
                .endsWith("\"errors\":1,\"warnings\":0,\"report\":\"target/bemserver/lint-report.txt\"}");
        result.finish(LintResult.FailOn.NEVER, file, xml, reporter);
        assertThat(JunitXml.read(project.resolve("target/bemserver/lint-report.xml"))
                        .failures())
                .isZero();
        assertThat(reporter.warnings)
                .contains("    error [check-validation] scans public.sites in full under ACCESS EXCLUSIVE: reads and "
                        + "writes wait for the whole scan");
        assertThat(server.column("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'bemserver_tmp_%'"))
                .isEmpty();
    }

    @org.junit.jupiter.api.Test
    void statementsOnNewTablesGoTogetherAndTheOneOnAnExistingTableIsMeasuredAlone() {
        // 1 alone, 2-3 together, 4-7 together until the check finds line 6's lock: one at a time
        LintResult result = lint(
                "",
                "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE INDEX ix_a ON a (id);\n"
                        + "CREATE TABLE c (id int);\nCREATE INDEX ix_b ON b (id);\n"
                        + "ALTER TABLE sites ADD COLUMN zone text;\nCREATE TABLE d (id int);\n"
                        + "ALTER TABLE sites ALTER COLUMN lat TYPE numeric;\nCREATE TABLE e (id int);\n",
                null,
                null);
        List<LintResult.StatementLint> statements = result.revisions().get(0).statements();
        assertThat(measured(statements))
                .containsExactly(
                        "1: " + UNTOUCHED,
                        "2: " + UNTOUCHED,
                        "3: " + UNTOUCHED,
                        "4: " + UNTOUCHED,
                        "5: " + UNTOUCHED,
                        "6: ACCESS EXCLUSIVE on public.sites",
                        "7: " + UNTOUCHED,
                        "8: SHARE on public.sites; rewrite of public.sites; full scan of public.sites",
                        "9: " + UNTOUCHED);
        assertThat(statements.get(5).findings()).extracting(Finding::rule).containsExactly("lock-timeout");
        assertThat(statements.get(7).findings())
                .extracting(Finding::rule)
                .containsExactly("table-rewrite", "narrow-type");
        assertThat(statements)
                .allSatisfy(statement -> assertThat(statement.time()).isPositive());
    }

    @org.junit.jupiter.api.Test
    void aLockOnAnotherRelationAmongTheTablesOidsCostsAReadingAndHidesNothing() {
        // the lock check counts locks on relations whose oids lie between the tables': line 2 locks
        // campaigns_pkey, an index created between campaigns and sites, and no table
        LintResult result = lint(
                "",
                "CREATE TABLE a (id int);\nALTER INDEX campaigns_pkey RENAME TO campaigns_pk;\n"
                        + "CREATE TABLE b (id int);\nCREATE TABLE c (id int);\n"
                        + "ALTER TABLE sites ALTER COLUMN lat TYPE numeric;\n",
                "5s",
                null);
        List<LintResult.StatementLint> statements = result.revisions().get(0).statements();
        assertThat(measured(statements))
                .containsExactly(
                        "1: " + UNTOUCHED,
                        "2: " + UNTOUCHED,
                        "3: " + UNTOUCHED,
                        "4: " + UNTOUCHED,
                        "5: ACCESS EXCLUSIVE on public.sites; rewrite of public.sites; full scan of public.sites");
        assertThat(statements.subList(0, 4))
                .allSatisfy(statement -> assertThat(statement.findings()).isEmpty());
        assertThat(statements.get(4).findings()).extracting(Finding::rule).contains("table-rewrite");
    }

    @org.junit.jupiter.api.Test
    void aStatementThatForgetsThePreparedStatementsIsReadAndTheOnesAfterItToo() {
        // the reading after a statement is a statement prepared on the session: DEALLOCATE ALL ends it
        LintResult result = lint(
                "",
                "ALTER TABLE sites ADD COLUMN zone text;\nDEALLOCATE ALL;\n"
                        + "ALTER TABLE sites ALTER COLUMN lat TYPE numeric;\nCREATE TABLE a (id int);\n",
                "5s",
                null);
        List<LintResult.StatementLint> statements = result.revisions().get(0).statements();
        assertThat(measured(statements))
                .containsExactly(
                        "1: ACCESS EXCLUSIVE on public.sites",
                        "2: " + UNTOUCHED,
                        "3: SHARE on public.sites; rewrite of public.sites; full scan of public.sites",
                        "4: " + UNTOUCHED);
        assertThat(statements.get(2).findings()).extracting(Finding::rule).contains("table-rewrite");
    }

    @org.junit.jupiter.api.Test
    void theFirstReadingTakenInTheRoundTripOfTheCommitBeforeCountsTheScansOfTheRevisionBefore() {
        // V2's first reading goes with V1's commit: V1's scan of sites, still among the session's
        // counters, is in it, so V2's ALTER scans nothing; the CHECK does scan
        LintResult result = lint(
                "SELECT count(*) FROM sites;\n",
                "ALTER TABLE sites ADD COLUMN zone text;\nALTER TABLE sites ADD CONSTRAINT z CHECK (zone <> '');\n",
                "5s",
                "base");
        assertThat(result.revisions()).hasSize(2);
        assertThat(measured(result.revisions().get(1).statements()))
                .containsExactly("1: ACCESS EXCLUSIVE on public.sites", "2: full scan of public.sites");
    }

    @org.junit.jupiter.api.Test
    void aRevisionOfOneStatementCommitsInItsRoundTripAndSaysWhatFailedThere() {
        // V2's last statement, its commit and V3's first reading go in one round trip: what failed
        // in it, the statement or the commit (a deferred constraint), is named all the same
        String deferred = "CREATE TABLE a (site int REFERENCES sites (id) DEFERRABLE INITIALLY DEFERRED);\n"
                + "ALTER TABLE sites ADD COLUMN zone text;\nINSERT INTO a VALUES (404);\n";
        String failing = "ALTER TABLE sites ADD COLUMN zone text;\nALTER TABLE sites ADD COLUMN zone text;\n";
        LintResult linted = lint(
                "",
                List.of(
                        "ALTER TABLE sites ADD COLUMN zone text;\n",
                        "ALTER TABLE sites ADD COLUMN region text;\nSELECT count(*) FROM sites;\n",
                        "ALTER TABLE sites ADD COLUMN floor int;\n"),
                "5s",
                "base",
                Map.of());

        assertThat(linted.revisions()).hasSize(4);
        // the rows of a script's own query, in that round trip, are not the first reading's
        assertThat(measured(linted.revisions().get(2).statements()))
                .containsExactly(
                        "1: ACCESS EXCLUSIVE on public.sites",
                        "2: ACCESS SHARE on public.sites; full scan of public.sites");
        assertThat(measured(linted.revisions().get(3).statements()))
                .containsExactly("1: ACCESS EXCLUSIVE on public.sites");
        assertThatThrownBy(() -> lint("", List.of(deferred, "SELECT 1;\n"), "5s", "base", Map.of()))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("V2__change.sql fails at its commit on the throwaway database (")
                .hasMessageContaining("foreign key");
        assertThatThrownBy(() -> lint("", List.of(failing, "SELECT 1;\n"), "5s", "base", Map.of()))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("V2__change.sql fails at line 2 on the throwaway database (")
                .hasMessageContaining("\"zone\"");
    }

    @org.junit.jupiter.api.Test
    void aScanInASubtransactionRolledBackIsNotTakenForTheNextRevisions() {
        // the exception caught ends the subtransaction and its lock, not its scan: V3 leaves zones
        // scanned and unlocked, and V4's first reading counts that scan
        LintResult result = lint(
                "CREATE TABLE zones (id int, code text);\n",
                List.of(
                        "DO $$ BEGIN PERFORM * FROM zones WHERE code IS NULL; RAISE EXCEPTION 'x'; "
                                + "EXCEPTION WHEN others THEN NULL; END $$;\n",
                        "ALTER TABLE zones ADD COLUMN zone text;\n",
                        "SELECT 1;\n"),
                "5s",
                "1",
                Map.of());
        assertThat(measured(result.revisions().get(1).statements()))
                .containsExactly("1: ACCESS EXCLUSIVE on public.zones");
        assertThat(result.revisions().get(1).statements().get(0).findings()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aRevisionOutsideATransactionThatDeallocatesLeavesTheNextOnesTheirFirstReading() {
        // its statements mix what Flyway runs outside a transaction and in one: its .conf file says which
        new Scripts(project.resolve(MIGRATIONS)).write("V2__change.sql.conf", "executeInTransaction=false\n");
        LintResult result = lint(
                "",
                List.of(
                        "CREATE INDEX CONCURRENTLY ix_sites_name ON sites (name);\nDEALLOCATE ALL;\n",
                        "ALTER TABLE sites ADD COLUMN zone text;\n",
                        "ALTER TABLE sites ADD COLUMN region text;\n"),
                "5s",
                "1",
                Map.of());
        assertThat(measured(result.revisions().get(2).statements()))
                .containsExactly("1: ACCESS EXCLUSIVE on public.sites");
    }

    @org.junit.jupiter.api.Test
    void aRevisionThatPreparesAStatementIsNamedAtItsFailingLine() {
        // a statement prepared outlives the rollback: the revision's failure is named without
        // running it again
        assertThatThrownBy(() -> lint(
                        "",
                        List.of(
                                "PREPARE p AS SELECT 1;\nALTER TABLE sites ADD COLUMN zone text;\n"
                                        + "ALTER TABLE sites ADD COLUMN zone text;\n",
                                "SELECT 1;\n"),
                        "5s",
                        "base",
                        Map.of()))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("V2__change.sql fails at line 3 on the throwaway database (")
                .hasMessageContaining("\"zone\"");
    }

    @org.junit.jupiter.api.Test
    void outsideATransactionTheScansAreMeasuredWithThoseFlushed() {
        // each statement outside a transaction commits, and the session flushes its counts when it
        // waits after it: they are read with those flushed, which a flush does not move (the
        // revision's .conf file takes it out of a transaction: Flyway would refuse the mix otherwise)
        new Scripts(project.resolve(MIGRATIONS)).write("V2__change.sql.conf", "executeInTransaction=false\n");
        LintResult result = lint(
                "",
                "CREATE INDEX CONCURRENTLY ix_sites_name ON sites (name);\n"
                        + "SELECT pg_catalog.pg_stat_force_next_flush();\n"
                        + "DROP INDEX CONCURRENTLY ix_sites_name;\n",
                null,
                null);
        String outside = "; ran outside a transaction, as db-upgrade runs this script: "
                + "its locks are released before they can be read";
        assertThat(measured(result.revisions().get(0).statements()))
                .containsExactly(
                        "1: full scan of public.sites" + outside,
                        "2: no rewrite or full scan of a table that existed before the revision" + outside,
                        "3: no rewrite or full scan of a table that existed before the revision" + outside);
        assertThat(result.revisions().get(0).statements())
                .allSatisfy(statement -> assertThat(statement.findings()).isEmpty());
    }

    @org.junit.jupiter.api.Test
    void aRevisionThatDeallocatesThePreparedStatementsLeavesTheNextOneItsFirstReading() {
        // the next revision's first reading is a statement prepared on the session too
        LintResult result = lint("DEALLOCATE ALL;\n", "ALTER TABLE sites ADD COLUMN zone text;\n", "5s", "base");
        assertThat(measured(result.revisions().get(1).statements()))
                .containsExactly("1: ACCESS EXCLUSIVE on public.sites");
    }

    @org.junit.jupiter.api.Test
    void scansOfStatementsRolledBackToTheSavepointAreNotCountedAgainstTheOneRunFirst() {
        // 1 alone, 2-3 together: line 2's lock sends them back one at a time, but line 3's scan of
        // sites, rolled back, still counts in the transaction's statistics
        LintResult result = lint(
                "",
                "CREATE TABLE a (id int);\nALTER TABLE sites ADD COLUMN zone text;\nUPDATE sites SET zone = name;\n",
                "5s",
                null);
        List<LintResult.StatementLint> statements = result.revisions().get(0).statements();
        assertThat(measured(statements))
                .containsExactly(
                        "1: " + UNTOUCHED,
                        "2: ACCESS EXCLUSIVE on public.sites",
                        "3: ROW EXCLUSIVE on public.sites; full scan of public.sites");
        assertThat(statements.get(1).findings()).isEmpty();
        assertThat(statements.get(2).findings()).extracting(Finding::rule).containsExactly("scan-under-lock");
    }

    @org.junit.jupiter.api.Test
    void aStatementThatFailsAmongOthersSentTogetherIsNamed() {
        // 1 alone, 2-3 together, 4-5 together: line 4 fails, and runs again alone to be named
        assertThatThrownBy(() -> lint(
                        "",
                        "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);\n"
                                + "CREATE TABLE a (id int);\nCREATE TABLE d (id int);\n",
                        null,
                        null))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("V2__change.sql fails at line 4 on the throwaway database (")
                .hasMessageContaining("\"a\" already exists");
    }

    @org.junit.jupiter.api.Test
    void whatARollbackToTheSavepointDoesNotUndoIsNeverSentWithOthers() {
        // prepared statements outlive a rollback to a savepoint: a DEALLOCATE ALL among statements
        // sent together and sent back would leave the reading without its own, and a PREPARE run
        // again would fail (line 3 locks campaigns_pkey, in the range of the tables' oids)
        LintResult deallocated = lint(
                "",
                "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);\n"
                        + "CREATE TABLE d (id int);\nDEALLOCATE ALL;\nCREATE TABLE e (id int);\n"
                        + "ALTER TABLE sites ADD COLUMN zone text;\n",
                "5s",
                null);
        LintResult prepared = lint(
                "",
                "CREATE TABLE a (id int);\nPREPARE q AS SELECT 1;\nALTER INDEX campaigns_pkey RENAME TO campaigns_pk;\n",
                "5s",
                null);
        LintResult fromABlock = lint(
                "",
                "ALTER TABLE sites ADD COLUMN zone text;\nDO $$ BEGIN EXECUTE 'DEALLOCATE ALL'; END $$;\n"
                        + "ALTER TABLE sites ALTER COLUMN lat TYPE numeric;\n",
                "5s",
                null);

        assertThat(measured(deallocated.revisions().get(0).statements()))
                .endsWith("7: ACCESS EXCLUSIVE on public.sites");
        assertThat(measured(prepared.revisions().get(0).statements()))
                .containsExactly("1: " + UNTOUCHED, "2: " + UNTOUCHED, "3: " + UNTOUCHED);
        assertThat(measured(fromABlock.revisions().get(0).statements()))
                .endsWith("3: SHARE on public.sites; rewrite of public.sites; full scan of public.sites");
    }

    @org.junit.jupiter.api.Test
    void aFunctionThatDeallocatesTheReadingIsSaidToBeOneDbLintCannotMeasure() {
        assertThatThrownBy(() -> lint(
                        "",
                        "CREATE FUNCTION forget() RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
                                + "EXECUTE 'DEALLOC' || 'ATE ALL'; END $$;\n"
                                + "ALTER TABLE sites ADD COLUMN zone text;\nSELECT forget();\n",
                        "5s",
                        null))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("V2__change.sql line 3 deallocates the session's prepared statements")
                .hasMessageContaining("changed nothing on your database");
    }

    @org.junit.jupiter.api.Test
    void aTableCreatedBeforeACommitInTheRevisionBeforeIsAnExistingTable() {
        // the revision before commits in its middle: the locks of what it created before are gone
        // when it ends, and the next revision must still find that table
        LintResult result = lint(
                "CREATE TABLE early (id int);\nCOMMIT;\nCREATE TABLE late (id int);\n",
                "ALTER TABLE early ADD COLUMN note text;\n",
                null,
                "base");
        assertThat(result.revisions()).hasSize(2);
        assertThat(result.revisions().get(1).statements().get(0).measured())
                .isEqualTo("ACCESS EXCLUSIVE on public.early");
    }

    @org.junit.jupiter.api.Test
    void aSessionPlaceholderNamesTheThrowawayDatabase() {
        // the scripts are read while the throwaway database is created: ${flyway:database} waits for it
        LintResult result = lint("", "COMMENT ON TABLE sites IS '${flyway:database}';\n", null, "1");
        assertThat(result.revisions().get(0).statements().get(0).summary())
                .startsWith("COMMENT ON TABLE sites IS 'bemserver_tmp_lint_");
        assertThat(result.revisions().get(0).statements().get(0).measured())
                .isEqualTo("SHARE UPDATE EXCLUSIVE on public.sites");
    }

    @org.junit.jupiter.api.Test
    void copyFromStdinIsFedItsRowsAsFlywayFeedsThemAndMeasuredLikeAnyStatement() {
        // the base has rows by COPY too (built by Flyway); the rows of the revision's COPY reach the
        // table: the UPDATE after it finds them and the CHECK they break refuses them
        String base = "COPY campaigns (name) FROM stdin;\nspring\n\\.\n";
        LintResult result = lint(
                base,
                "CREATE TABLE zones (id int, name text);\n"
                        + "COPY zones (id, name) FROM stdin;\n1\tnorth\n2\tO'Brien; -- not SQL\n\\.\n"
                        + "COPY campaigns (name) FROM stdin;\nautumn\n\\.\n"
                        + "SET lock_timeout = '5s';\n"
                        + "ALTER TABLE campaigns ADD CONSTRAINT named CHECK (name <> 'autumn') NOT VALID;\n",
                null,
                "1");
        assertThat(measured(result.revisions().get(0).statements()))
                .containsExactly(
                        "1: " + UNTOUCHED,
                        "2: " + UNTOUCHED,
                        "6: ROW EXCLUSIVE on public.campaigns",
                        "9: " + UNTOUCHED,
                        "10: ACCESS EXCLUSIVE on public.campaigns");
        assertThat(rules(result)).isEmpty();

        // the rows are there: validating the constraint finds the one COPY fed
        assertThatThrownBy(() -> lint(
                        base,
                        List.of(
                                "COPY campaigns (name) FROM stdin;\nautumn\n\\.\n",
                                "ALTER TABLE campaigns ADD CONSTRAINT named CHECK (name <> 'autumn');\n"),
                        null,
                        "1",
                        Map.of()))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("V3__next.sql fails at line 1")
                .hasMessageContaining("23514");
    }

    @org.junit.jupiter.api.Test
    void aRevisionDbUpgradeRefusesIsNotLintedAndItsConfFileIsRead() {
        String reindex = "REINDEX INDEX CONCURRENTLY sites_pkey;\n";
        // Flyway would run it in a transaction, where PostgreSQL refuses it
        assertThatThrownBy(() -> lint("", reindex, null, "1"))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("db-lint does not run what db-upgrade refuses: V2__change.sql line 1 (REINDEX "
                        + "INDEX CONCURRENTLY sites_pkey) cannot run in a transaction, and Flyway runs V2__change.sql "
                        + "in one");

        new Scripts(project.resolve(MIGRATIONS)).write("V2__change.sql.conf", "executeInTransaction=false\n");
        LintResult result = lint("", reindex, null, "1");

        assertThat(result.revisions()).hasSize(1);
        assertThat(result.revisions().get(0).statements()).hasSize(1);
        assertThat(server.column("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'bemserver_tmp_%'"))
                .isEmpty();
    }

    @org.junit.jupiter.api.Test
    void scriptsThatCannotBeReadLeaveNoThrowawayDatabaseBehind() {
        // the throwaway database being created when the scripts' problem is found is dropped all the same
        new Scripts(project.resolve(MIGRATIONS)).write("V2__twice.sql", "SELECT 1;\n");
        assertThatThrownBy(() -> lint("", "SELECT 2;\n", null, "base"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("revision 2 has 2 scripts");
        // a creation that went on after the throwaway was closed would leave its database now
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("bemserver-lint")) {
                assertThatCode(thread::join).doesNotThrowAnyException();
            }
        }
        assertThat(server.column("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'bemserver_tmp_%'"))
                .isEmpty();
    }

    @org.junit.jupiter.api.Test
    void revisionsAreChosenBySinceByWhatIsPendingOrTheNewest() {
        List<String> known = List.of("1", "2", "3", "4");
        assertThat(Lint.select(known, "2", null)).containsExactly("3", "4");
        assertThat(Lint.select(known, "base", List.of("4"))).containsExactly("1", "2", "3", "4");
        assertThat(Lint.select(known, null, List.of("3", "4"))).containsExactly("3", "4");
        assertThat(Lint.select(known, null, List.of())).isEmpty();
        assertThat(Lint.select(known, null, null)).containsExactly("4");
        assertThatThrownBy(() -> Lint.select(known, "9", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Unknown revision 9 (bemserver.since): this project's revisions are 1, 2, 3, 4, or base");
    }

    @org.junit.jupiter.api.Test
    void everyBemserverCoreRevisionIsLintedOnItsPredecessor() throws Exception {
        new Scripts(project.resolve(MIGRATIONS))
                .copyAll(java.nio.file.Path.of(getClass()
                        .getResource("/corpus/bemserver-core/db/migration")
                        .toURI()));
        ProjectBuilds builds = new ProjectBuilds(
                new MigrationSettings(
                        project, List.of(MIGRATIONS), List.of("public"), "flyway_schema_history", Map.of()),
                List.of(),
                List.of());
        LintResult result;
        try (Throwaway throwaway = Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10))) {
            result = new Lint(builds, null, reporter).run(throwaway, "base", null, Map.of());
        }
        List<String> report = result.report();
        assertThat(report.get(report.size() - 1))
                .isEqualTo("Lint: 10 errors, 43 warnings in 13 revisions (175 statements)");
        // 0.12 retypes an enum column: a rewrite; 0.11 adds foreign keys validated at once
        assertThat(report)
                .contains(
                        "    error [table-rewrite] rewrites public.weather_ts_by_site under ACCESS EXCLUSIVE: reads "
                                + "and writes wait for the whole rewrite",
                        "    warning [rename-table] renames public.ener_sources to public.energies: the application "
                                + "version still running uses the old name",
                        // 0.12 renames the old enum, then moves the column to a new one: one change, not two
                        "    warning [narrow-type] changes column parameter of public.weather_ts_by_site from "
                                + "weatherparameterenum_old to weatherparameterenum: values the running version writes "
                                + "may no longer fit");
        assertThat(report)
                .noneSatisfy(
                        line -> assertThat(line).contains("from weatherparameterenum to weatherparameterenum_old"));
        assertThat(report)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("    error [foreign-key-validation] scans public.ener_cons_ts_by_site in full "));
    }

    @org.junit.jupiter.api.Test
    void widensIsOnlyWidening() {
        assertThat(Rules.widens("character varying(80)", "character varying(120)"))
                .isTrue();
        assertThat(Rules.widens("character varying(80)", "text")).isTrue();
        assertThat(Rules.widens("numeric(10,2)", "numeric(12,2)")).isTrue();
        assertThat(Rules.widens("numeric(10,2)", "numeric(12,3)")).isFalse();
        assertThat(Rules.widens("character varying(80)", "character varying(40)"))
                .isFalse();
        assertThat(Rules.widens("double precision", "numeric")).isFalse();
    }
}
