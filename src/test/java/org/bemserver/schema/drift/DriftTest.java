package org.bemserver.schema.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.OutputFile;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.diff.SchemaComparison;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Revision;
import org.bemserver.schema.revision.RevisionWriter;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.JunitXml;
import org.bemserver.testing.SchemaFingerprint;
import org.bemserver.testing.Scripts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DriftTest extends EngineTest {

    private static final String MIGRATIONS = "src/main/resources/db/migration";

    private Scripts scripts;
    private ProjectBuilds builds;

    @BeforeEach
    void project() {
        scripts = new Scripts(project.resolve(MIGRATIONS)).threeRevisions();
        builds = new ProjectBuilds(
                new MigrationSettings(
                        project, List.of(MIGRATIONS), List.of("public"), "flyway_schema_history", Map.of()),
                List.of(),
                List.of("sites"));
    }

    private void upgradeLive(String revision) {
        builds.migrations(database, Reporter.silent()).upgrade(revision, false);
    }

    /** A change made on the live database behind the migrations' back. */
    private void onLive(String sql) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private DriftResult drift(Database live) {
        try (Throwaway throwaway = Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10))) {
            Drift drift = new Drift(builds, reporter);
            return drift.run(live, drift.recorded(live, builds.migrations(live, reporter), false), throwaway);
        }
    }

    private DriftResult drift() {
        return drift(database);
    }

    private OutputFile file(String name) {
        return new OutputFile(project.resolve("target/bemserver").resolve(name), project, name);
    }

    private void finish(DriftResult result) {
        Drift.finish(result, file("drift-report.txt"), file("drift-report.xml"), file("drift-repair.sql"), reporter);
    }

    private JunitXml junitReport() {
        return JunitXml.read(project.resolve("target/bemserver/drift-report.xml"));
    }

    private List<String> throwawayDatabases() {
        return server.column("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'bemserver_tmp_%'");
    }

    @Test
    void aDatabaseThatHoldsItsRevisionHasNoDrift() throws Exception {
        upgradeLive(null);
        DriftResult result = drift();
        assertThat(result.passed()).isTrue();
        finish(result);
        assertThat(reporter.infos)
                .contains(
                        "Built revision 3 on a throwaway database",
                        "No drift: the database holds exactly revision 3 (report: target/bemserver/drift-report.txt)");
        assertThat(Files.readAllLines(project.resolve("target/bemserver/drift-report.txt")))
                .containsExactly(
                        "Live database against revision 3 built by the migrations", "  same schema and reference rows");
        assertThat(project.resolve("target/bemserver/drift-repair.sql")).doesNotExist();
        assertThat(junitReport().outcomes())
                .containsExactly(
                        entry("revision 3 against the live database", "passed"),
                        entry("history of the live database", "passed"));
        assertThat(throwawayDatabases()).isEmpty();
    }

    @Test
    void aDatabasePlaceholderNamesTheLiveDatabaseAndIsNoDrift() throws Exception {
        // Flyway wrote the live database's name, the throwaway build its own
        scripts.write("V4__comment.sql", "COMMENT ON TABLE users IS 'lives in ${flyway:database}';\n");
        upgradeLive(null);
        DriftResult result = drift();
        assertThat(result.diff().report()).isEmpty();
        assertThat(result.passed()).isTrue();
    }

    @Test
    void aRepairWritesTheLiveDatabasesNameWhereTheRevisionHasIt() throws Exception {
        scripts.write("V4__comment.sql", "COMMENT ON TABLE users IS 'lives in ${flyway:database}';\n");
        upgradeLive(null);
        onLive("COMMENT ON TABLE users IS 'moved'");
        DriftResult result = drift();
        assertThat(result.repair().unproven()).isEmpty();
        assertThat(result.repair().script().render())
                .contains("COMMENT ON TABLE public.users IS 'lives in " + database.name() + "'")
                .doesNotContain("bemserver_tmp_");
    }

    @Test
    void aRepairThatCannotBeWrittenLeavesNoReportThatNamesIt() throws Exception {
        upgradeLive(null);
        onLive("COMMENT ON TABLE users IS 'moved'");
        DriftResult result = drift();
        assertThat(result.repair().proven()).isTrue();
        // the repair's place is taken: its write fails
        Files.createDirectories(project.resolve("target/bemserver/drift-repair.sql/taken"));
        assertThatThrownBy(() -> finish(result))
                .hasMessageStartingWith("Cannot write the drift-repair.sql target/bemserver/drift-repair.sql: ");
        assertThat(project.resolve("target/bemserver/drift-report.txt")).doesNotExist();
        assertThat(project.resolve("target/bemserver/drift-report.xml")).doesNotExist();
    }

    @Test
    void pendingRevisionsAreNotDrift() {
        upgradeLive("2");
        DriftResult result = drift();
        finish(result);
        assertThat(reporter.infos)
                .contains("No drift: the database holds exactly revision 2 (1 revision pending, not drift) "
                        + "(report: target/bemserver/drift-report.txt)");
        assertThat(result.toJson("r", "s"))
                .isEqualTo("{\"revision\":\"2\",\"pending\":[\"3\"],\"drift\":false,"
                        + "\"differences\":[],\"problems\":[],\"report\":\"r\",\"repair\":null}");
    }

    @Test
    void changesMadeByHandAreFoundAndTheProvenRepairUndoesThem() throws Exception {
        scripts.write("V4__add_functions_and_views.sql", """
                CREATE FUNCTION site_label(n varchar) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(n) $$;
                CREATE VIEW site_names AS SELECT id, name FROM sites;
                ALTER TABLE users ADD CONSTRAINT users_name_check CHECK (length(name) > 0);
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                """);
        upgradeLive(null);
        server.execute(uri.database(), """
                CREATE INDEX ix_sites_name ON sites (name);
                ALTER TABLE sites ALTER COLUMN timezone SET DEFAULT 'Europe/Paris';
                ALTER TABLE users ALTER COLUMN name TYPE varchar(120);
                ALTER TABLE users DROP CONSTRAINT users_name_check;
                CREATE OR REPLACE FUNCTION site_label(n varchar) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(n) $$;
                CREATE OR REPLACE VIEW site_names AS SELECT id, name, timezone FROM sites;
                UPDATE sites SET name = 'Head office' WHERE name = 'HQ';
                CREATE TRIGGER trg_touch BEFORE UPDATE ON sites FOR EACH ROW EXECUTE FUNCTION touch();
                ALTER SEQUENCE users_id_seq INCREMENT BY 10;
                GRANT SELECT ON users TO PUBLIC;
                """);
        List<String> before = SchemaFingerprint.of(server, uri.database(), "public");
        DriftResult result = drift();
        assertThat(result.diff().report())
                .contains(
                        "+ index public.ix_sites_name",
                        "- check constraint users_name_check on public.users",
                        "~ column public.sites.timezone: default 'UTC'::character varying -> 'Europe/Paris'::character varying",
                        "~ column public.users.name: type character varying(80) -> character varying(120)",
                        "~ rows public.sites: ~ (1, 'HQ', 'UTC') -> (1, 'Head office', 'UTC')")
                .anySatisfy(line -> assertThat(line).startsWith("~ function public.site_label(n character varying)"))
                .anySatisfy(line -> assertThat(line).startsWith("~ view public.site_names"))
                .anySatisfy(line -> assertThat(line).startsWith("+ trigger").contains("trg_touch"))
                .anySatisfy(line -> assertThat(line).startsWith("~ sequence public.users_id_seq"))
                .anySatisfy(line -> assertThat(line).startsWith("+ privileges on public.users to PUBLIC"));
        assertThat(result.repair().unproven()).isEmpty();
        assertThatThrownBy(() -> finish(result))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Drift found: "
                        + result.differences()
                        + " differences from revision 4 (listed above and in target/bemserver/drift-report.txt): "
                        + "return the database to revision 4 with psql -1 -f target/bemserver/drift-repair.sql, or record the change "
                        + "as a new revision");
        assertThat(reporter.warnings).contains("  + index public.ix_sites_name");
        assertThat(reporter.infos).contains("Proved the repair on a throwaway copy of the live schema");
        // in JUnit XML, every difference in one failure: one repair returns them all
        JunitXml junit = junitReport();
        assertThat(junit.suite()).isEqualTo("db-drift");
        assertThat(junit.outcomes())
                .containsExactly(
                        entry(
                                "revision 4 against the live database",
                                "failed: " + result.differences() + " differences from revision 4: psql -1 -f "
                                        + "target/bemserver/drift-repair.sql returns the database to it"),
                        entry("history of the live database", "passed"));
        assertThat(junit.details().get("revision 4 against the live database").lines())
                .startsWith("+ only in the live database, - missing from it, ~ changed (revision 4 -> live database):")
                .contains("+ index public.ix_sites_name")
                .endsWith("Repair: target/bemserver/drift-repair.sql returns the database to revision 4 "
                        + "(proven on a throwaway copy of the live schema)");
        // the run read the live database only
        assertThat(SchemaFingerprint.of(server, uri.database(), "public")).isEqualTo(before);
        assertThat(server.column(uri.database(), "SELECT name FROM sites")).containsExactly("Head office");

        String repair = Files.readString(project.resolve("target/bemserver/drift-repair.sql"));
        server.execute(uri.database(), repair);
        reporter.infos.clear();
        finish(drift());
        assertThat(reporter.infos)
                .contains("No drift: the database holds exactly revision 4 "
                        + "(report: target/bemserver/drift-report.txt)");
        assertThat(project.resolve("target/bemserver/drift-repair.sql")).doesNotExist();
        assertThat(throwawayDatabases()).isEmpty();
    }

    /**
     * Upgrades the live database to head, changes it with {@code byHand}, and asserts that the drift
     * is exactly {@code found}, that the run left the live database as it was, and that the proven
     * repair returns it to its revision.
     */
    private void assertFoundAndRepaired(String byHand, String... found) throws Exception {
        upgradeLive(null);
        server.execute(uri.database(), byHand);
        List<String> before = SchemaFingerprint.of(server, uri.database(), "public");
        DriftResult result = drift();
        assertThat(result.diff().report()).containsExactly(found);
        assertThat(result.repair().unproven()).isEmpty();
        assertThatThrownBy(() -> finish(result))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("Drift found: " + DriftResult.count(found.length, "difference")
                        + " from revision 4 (listed above and in target/bemserver/drift-report.txt): "
                        + "return the database to revision 4 with psql -1 -f target/bemserver/drift-repair.sql");
        assertThat(SchemaFingerprint.of(server, uri.database(), "public")).isEqualTo(before);
        assertThat(junitReport().details().get("revision 4 against the live database"))
                .contains(String.join("\n", found));

        server.execute(uri.database(), Files.readString(project.resolve("target/bemserver/drift-repair.sql")));
        DriftResult repaired = drift();
        assertThat(repaired.diff().report()).isEmpty();
        assertThat(repaired.passed()).isTrue();
        assertThat(throwawayDatabases()).isEmpty();
    }

    @Test
    void anEnumLabelAddedByHandIsFoundAndTheRepairRemovesIt() throws Exception {
        scripts.write("V4__add_site_kind.sql", """
                CREATE TYPE site_kind AS ENUM ('office', 'plant');
                ALTER TABLE sites ADD COLUMN kind site_kind NOT NULL DEFAULT 'office';
                """);
        assertFoundAndRepaired(
                "ALTER TYPE site_kind ADD VALUE 'warehouse'",
                "~ enum public.site_kind: definition 'office', 'plant' -> 'office', 'plant', 'warehouse'");
        assertThat(server.column(uri.database(), "SELECT unnest(enum_range(NULL::site_kind))::text"))
                .containsExactly("office", "plant");
    }

    @Test
    void aRepairThatMustLowerAnExtensionColumnsUseSaysItIsAKnownLimit() throws Exception {
        scripts.write("V4__add_site_tags.sql", """
                CREATE EXTENSION hstore VERSION '1.7';
                ALTER TABLE sites ADD COLUMN tags hstore;
                """);
        upgradeLive(null);
        server.execute(uri.database(), "ALTER EXTENSION hstore UPDATE TO '1.8'");
        DriftResult result = drift();
        assertThat(result.diff().report()).containsExactly("~ extension hstore: version 1.7 -> 1.8");
        String limit = "Known limit: lowers extension hstore from 1.8 to 1.7: PostgreSQL has no downgrade path for "
                + "it, so it is dropped and created again at 1.7, with the views, functions and indexes that use it; "
                + "columns of its types make this drop fail: migrate them to another type first, or keep the newer "
                + "version (data loss in any table the extension owns) (on a throwaway database the repair fails at "
                + "line 4: SQL state 2BP01: cannot drop extension hstore because other objects depend on it)";
        assertThat(result.repair().unproven()).containsExactly(limit);
        assertThatThrownBy(() -> finish(result))
                .isInstanceOf(MigrationException.class)
                .hasMessageEndingWith(
                        "return the database to revision 4 by hand, or record the change as a new " + "revision");
        assertThat(Files.readAllLines(project.resolve("target/bemserver/drift-report.txt")))
                .endsWith(
                        "Repair: none written, the generated one did not prove right on a throwaway copy:",
                        "  " + limit);
        assertThat(project.resolve("target/bemserver/drift-repair.sql")).doesNotExist();
    }

    @Test
    void commentsChangedByHandAreFoundAndTheRepairRestoresThem() throws Exception {
        scripts.write("V4__describe_sites.sql", """
                COMMENT ON TABLE sites IS 'Where buildings are';
                COMMENT ON COLUMN sites.name IS 'Unique per campaign';
                """);
        assertFoundAndRepaired(
                "COMMENT ON TABLE sites IS 'Sites and plants'; COMMENT ON COLUMN sites.name IS NULL; "
                        + "COMMENT ON COLUMN users.name IS 'Login'",
                "~ table public.sites: comment Where buildings are -> Sites and plants",
                "~ column public.sites.name: comment Unique per campaign -> (none)",
                "~ column public.users.name: comment (none) -> Login");
        assertThat(server.value(uri.database(), "SELECT obj_description('sites'::regclass, 'pg_class')"))
                .isEqualTo("Where buildings are");
    }

    @Test
    void aPolicyAddedByHandIsFoundAndTheRepairDropsIt() throws Exception {
        scripts.write("V4__secure_sites.sql", """
                ALTER TABLE sites ENABLE ROW LEVEL SECURITY;
                CREATE POLICY read_sites ON sites FOR SELECT USING (true);
                """);
        assertFoundAndRepaired(
                "CREATE POLICY hq_only ON sites FOR UPDATE TO PUBLIC USING (name = 'HQ'); "
                        + "ALTER TABLE users ENABLE ROW LEVEL SECURITY",
                "~ table public.users: row level security no -> yes",
                "+ policy hq_only on public.sites");
        assertThat(server.column(uri.database(), "SELECT policyname FROM pg_policies"))
                .containsExactly("read_sites");
    }

    @Test
    void aRoleThatMayOnlyReadFindsTheDrift() {
        upgradeLive(null);
        server.execute(
                "postgres",
                "DO $$ BEGIN CREATE ROLE drift_reader LOGIN PASSWORD 'r3ader'; "
                        + "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        server.execute(
                uri.database(),
                "GRANT CONNECT ON DATABASE " + uri.database() + " TO drift_reader; "
                        + "GRANT USAGE ON SCHEMA public TO drift_reader; "
                        + "GRANT SELECT ON sites, flyway_schema_history TO drift_reader");
        server.execute(uri.database(), "CREATE INDEX ix_hotfix ON users (name)");
        // as db-drift connects: every transaction read-only, enforced by the server
        DatabaseUri reader = uri.withCredentials("drift_reader", "r3ader").withReadOnlyTransactions();
        try (Database live = Database.open(reader, "SQLALCHEMY_DATABASE_URI", Duration.ofSeconds(10))) {
            DriftResult result = drift(live);
            // the grants made by hand here are drift too, but not those on the history table, left out like it
            assertThat(result.diff().report())
                    .containsExactly(
                            "+ index public.ix_hotfix",
                            "+ privileges on schema public to drift_reader",
                            "+ privileges on public.sites to drift_reader");
            assertThat(result.repair().unproven()).isEmpty();
        }
    }

    @Test
    void captureWritesTheDriftAsANewRevisionThatBuildsWhatTheLiveDatabaseHolds() throws Exception {
        upgradeLive(null);
        server.execute(
                uri.database(),
                "CREATE INDEX ix_hotfix ON users (name); "
                        + "ALTER TABLE sites ALTER COLUMN timezone SET DEFAULT 'Europe/Paris'");
        RevisionWriter writer = RevisionWriter.plan(builds.settings(), "Keep hotfix index", null, reporter);
        DriftResult result;
        try (Throwaway throwaway = Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10))) {
            Drift drift = new Drift(builds, reporter);
            result = drift.run(
                    database, drift.recorded(database, builds.migrations(database, reporter), true), throwaway);
        }
        Drift.capture(result, writer, file("drift-report.txt"), reporter);
        assertThat(reporter.infos)
                .contains("Wrote src/main/resources/db/migration/V4__keep_hotfix_index.sql and "
                        + "U4__keep_hotfix_index.sql (revision 4) (3 statements, undo 3)");
        assertThat(project.resolve("target/bemserver/drift-repair.sql")).doesNotExist();
        // the migrations up to the new head build what the live database holds
        DatabaseUri fresh = server.createDatabase("captured");
        try (Database built = Database.open(fresh, "test", Duration.ofSeconds(10))) {
            builds.migrations(built, Reporter.silent()).upgrade(null, false);
            assertThat(SchemaComparison.compare(builds.snapshot(built), builds.snapshot(database))
                            .withoutSequencePositions()
                            .hasDifferences(true))
                    .isFalse();
            builds.migrations(built, Reporter.silent()).downgrade("3", false);
            assertThat(server.value(fresh.database(), "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_hotfix'"))
                    .isEqualTo("0");
        }
    }

    @Test
    void captureNeedsTheDatabaseAtHead() {
        upgradeLive("1");
        assertThatThrownBy(() ->
                        new Drift(builds, reporter).recorded(database, builds.migrations(database, reporter), true))
                .isInstanceOf(MigrationException.class)
                .hasMessage("Capture needs the database at head 3, but 2 revisions "
                        + "are pending (2, 3): upgrade it with db-upgrade, then capture; nothing was written");
        assertThat(project.resolve(MIGRATIONS).toFile().list()).hasSize(6);
    }

    @Test
    void aDatabaseWithoutHistoryIsRefused() {
        assertThatThrownBy(this::drift)
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "The database has no history "
                                + "table public.flyway_schema_history: db-drift compares a database with the revision its history records; "
                                + "upgrade it with db-upgrade first, or set bemserver.schemas and bemserver.table to where its history is");
        assertThat(throwawayDatabases()).isEmpty();

        server.execute(uri.database(), "CREATE TABLE users (id int)");
        assertThatThrownBy(this::drift)
                .isInstanceOf(MigrationException.class)
                .hasMessage("The database has no history table public.flyway_schema_history but schema public "
                        + "holds 1 table: adopt it with db-baseline first, which proves the revision it holds and "
                        + "records it; nothing was changed");
    }

    @Test
    void aDatabaseAheadOfTheProjectIsRefused() throws Exception {
        scripts.write("V4__extra.sql", "CREATE TABLE extra (id int);\n");
        upgradeLive(null);
        Files.delete(project.resolve(MIGRATIONS).resolve("V4__extra.sql"));
        assertThatThrownBy(this::drift)
                .isInstanceOf(MigrationException.class)
                .hasMessage(
                        "The database is at revision 4, "
                                + "ahead of this project's head 3: run db-drift from the version of the project that has revision 4");
    }

    @Test
    void aRevisionUnknownToTheProjectIsRefused() throws Exception {
        scripts.write("V2_5__branch.sql", "CREATE TABLE branch (id int);\n");
        upgradeLive("2.5");
        Files.delete(project.resolve(MIGRATIONS).resolve("V2_5__branch.sql"));
        assertThatThrownBy(this::drift)
                .isInstanceOf(MigrationException.class)
                .hasMessage("The database's revision 2.5 "
                        + "is not in this project (bemserver.locations): run db-drift from the branch that has it, or restore its "
                        + "script");
    }

    @Test
    void anEditedScriptIsReportedInTheSameRun() throws Exception {
        upgradeLive(null);
        scripts.write(
                "V3__add_site_timezone.sql",
                "ALTER TABLE sites ADD COLUMN timezone varchar(40) NOT NULL DEFAULT 'CET';\n");
        DriftResult result = drift();
        assertThat(result.status().problems()).singleElement().asString().contains("V3__add_site_timezone.sql");
        assertThat(result.diff().report())
                .contains(
                        "~ column public.sites.timezone: default 'CET'::character varying -> 'UTC'::character varying");
        assertThatThrownBy(() -> finish(result))
                .hasMessageStartingWith("Drift found: 2 differences from revision 3 "
                        + "and 1 history problem (listed above and in target/bemserver/drift-report.txt)");
        JunitXml junit = junitReport();
        assertThat(junit.failures()).isEqualTo(2);
        assertThat(junit.outcomes())
                .containsEntry(
                        "history of the live database",
                        "failed: " + result.status().problems().get(0));
    }

    @Test
    void revisionsCompareAsFlywayOrdersThem() {
        assertThat(Revision.compare("10", "9")).isPositive();
        assertThat(Revision.compare("2.5", "3")).isNegative();
        assertThat(Revision.compare("0.21", "0.4")).isPositive();
        assertThat(Revision.compare("1.0", "1")).isZero();
    }
}
