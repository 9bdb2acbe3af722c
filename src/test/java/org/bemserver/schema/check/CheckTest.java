package org.bemserver.schema.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.JunitReport;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Segments;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.model.ModelFiles;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.JunitXml;
import org.bemserver.testing.Scripts;
import org.junit.jupiter.api.Test;

class CheckTest extends EngineTest {

    private static final String MIGRATIONS = "src/main/resources/db/migration";
    private static final String MODEL = "src/main/resources/db/model";
    private static final List<String> CORE_REFERENCE_TABLES =
            List.of("ts_props", "ts_data_states", "event_categs", "energies", "ener_end_uses", "ener_prod_techs");

    /** The steps of the failing-undo fixture: revision and problem. */
    private static final Tuple[] FAILING_UNDO_STEPS = {
        tuple("1", null),
        tuple(
                "2",
                "the undo (U2__create_sites.sql) failed at line 2 (SQL state 42P01: table \"no_such_table\" does "
                        + "not exist)"),
        tuple("3", null)
    };

    private Throwaway throwaway() {
        return Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10));
    }

    private ProjectBuilds project(Path source, List<String> referenceTables) {
        new Scripts(project.resolve(MIGRATIONS)).copyAll(source.resolve("migration"));
        new Scripts(project.resolve(MODEL)).copyAll(source.resolve("model"));
        MigrationSettings settings = new MigrationSettings(
                project, List.of(MIGRATIONS), List.of("public"), "flyway_schema_history", Map.of());
        return new ProjectBuilds(settings, ModelFiles.list(project, MODEL), referenceTables);
    }

    private Path core() throws Exception {
        return Path.of(getClass().getResource("/corpus/bemserver-core/db").toURI());
    }

    private List<String> throwawayDatabases() {
        return server.column("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'bemserver_tmp_%'");
    }

    @Test
    void coreMigrationsAndModelAgreeButTwoUndoScriptsDoNotRevertTheirStep() throws Exception {
        CheckResult result;
        try (Throwaway throwaway = throwaway()) {
            result = new Check(project(core(), CORE_REFERENCE_TABLES), reporter).run(throwaway, true);
        }
        // README facts (c) and (d): same schema and reference rows; only physical column numbers differ
        assertThat(result.model().hasDifferences(true)).isFalse();
        assertThat(result.revisions()).hasSize(13);
        // fact (f): 0.1 leaves its enum behind (and cannot be applied again), 0.4 moves a column
        assertThat(result.failedSteps(false))
                .extracting(step -> step.revision().id())
                .containsExactly("0.1");
        assertThat(result.failedSteps(true))
                .extracting(step -> step.revision().id())
                .containsExactly("0.1", "0.4");
        CheckResult.Step first = result.failedSteps(false).get(0);
        assertThat(first.undone().report()).containsExactly("+ enum public.propertytype");
        assertThat(first.problem())
                .isEqualTo("upgrading again after the undo (V0.1__v0_1.sql) failed at line 29 "
                        + "(SQL state 42710: type \"propertytype\" already exists)");
        assertThat(result.failedSteps(true).get(1).undone().report())
                .singleElement()
                .asString()
                .startsWith("~ column order of public.events: ");
        assertThat(result.passed(false)).isFalse();
        assertThat(result.report(false))
                .contains(
                        "  same schema and reference rows",
                        "Stairway (each revision upgraded, undone, upgraded again): 1 undo script does not revert their revision");
        // in JUnit XML: one case for the model and one per revision, the failing one with what its undo left
        JunitReport junit = result.junitReport(false);
        assertThat(junit.cases()).hasSize(14);
        assertThat(junit.failures()).isEqualTo(1);
        JunitReport.TestCase failing = junit.cases().get(1);
        assertThat(failing.classname()).isEqualTo("db-check.stairway");
        assertThat(failing.name()).isEqualTo("revision 0.1 - v0 1: upgrade, undo, upgrade again");
        assertThat(failing.failure().message()).isEqualTo("the undo leaves 1 difference, and " + first.problem());
        assertThat(failing.failure().detail())
                .containsExactly(
                        "+ left by the undo, - removed by the undo, ~ changed (before the upgrade -> after the undo):",
                        "+ enum public.propertytype",
                        first.problem());
        assertThat(result.junitReport(true).failures()).isEqualTo(2);
        assertThat(reporter.infos)
                .contains(
                        "Stairway 0.1 - v0 1 (1/13): the undo does NOT revert it",
                        "Stairway 0.4 - v0 4 (4/13): the undo reverts it, but for the column order",
                        "Stairway 0.21 - v0 21 (13/13): the undo reverts it");
        assertThat(throwawayDatabases()).isEmpty();
    }

    @Test
    void withoutTheStairwayCoreMigrationsAndModelPass() throws Exception {
        CheckResult result;
        try (Throwaway throwaway = throwaway()) {
            result = new Check(project(core(), CORE_REFERENCE_TABLES), reporter).run(throwaway, false);
        }
        assertThat(result.passed(false)).isTrue();
        assertThat(result.steps()).isEmpty();
        assertThat(reporter.infos).contains("Upgraded a throwaway database from empty to head (13 revisions)");
        Path report = project.resolve("target/check-report.txt");
        Path junit = project.resolve("target/check-report.xml");
        Check.finish(result, false, report, junit, project, reporter);
        assertThat(Files.readAllLines(report))
                .startsWith("Migrations (13 revisions) against the model", "  same schema and reference rows");
        assertThat(JunitXml.read(junit).outcomes()).containsExactly(entry("migrations against the model", "passed"));
        assertThat(result.passed(true)).isTrue();
        assertThat(reporter.infos)
                .contains("Check passed: the migrations and the model build the same schema and "
                        + "reference rows (report: target/check-report.txt)");
    }

    @Test
    void aModelThatDriftedFromTheMigrationsIsReported() throws Exception {
        ProjectBuilds builds = project(Path.of("examples/bemserver-demo/src/main/resources/db"), List.of("ts_props"));
        Path tables = project.resolve(MODEL).resolve("020-tables.sql");
        Files.writeString(tables, Files.readString(tables) + "\nALTER TABLE public.sites ADD COLUMN altitude real;\n");
        Files.writeString(
                project.resolve(MODEL).resolve("900-default-rows.sql"),
                Files.readString(project.resolve(MODEL).resolve("900-default-rows.sql"))
                        .replace("Minimum", "Lowest"));
        CheckResult result;
        try (Throwaway throwaway = throwaway()) {
            result = new Check(builds, reporter).run(throwaway, true);
        }
        assertThat(result.failedSteps(true)).isEmpty();
        assertThat(result.model().report())
                .contains("+ column public.sites.altitude")
                .anySatisfy(line -> assertThat(line)
                        .startsWith("~ rows public.ts_props: ~ ")
                        .contains("Lowest"));
        Path report = project.resolve("target/bemserver/check-report.txt");
        Path junit = project.resolve("target/bemserver/check-report.xml");
        assertThatThrownBy(() -> Check.finish(result, false, report, junit, project, reporter))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith(
                        "Check failed: 2 differences (listed above and in target/bemserver/check-report.txt)");
        assertThat(reporter.warnings).contains("  + column public.sites.altitude");
        assertThat(Files.readString(report)).contains("+ only in the model, - only in the migrations");
        JunitXml xml = JunitXml.read(junit);
        assertThat(xml.suite()).isEqualTo("db-check");
        assertThat(xml.outcomes()).hasSize(1 + result.revisions().size());
        assertThat(xml.failures()).isEqualTo(1);
        assertThat(xml.outcomes())
                .containsEntry(
                        "migrations against the model",
                        "failed: 2 differences between the migrations ("
                                + result.revisions().size() + " revisions) and the model");
        assertThat(xml.details().get("migrations against the model"))
                .startsWith("+ only in the model, - only in the migrations, ~ changed (migrations -> model):\n")
                .contains("\n+ column public.sites.altitude\n");
    }

    @Test
    void aMissingOrFailingUndoIsAStairwayFindingAndTheStairwayGoesOn() throws Exception {
        Path fixtures = Path.of("src/it/fixtures");
        Path source = project.resolve("source");
        new Scripts(source.resolve("migration")).copyAll(fixtures.resolve("failing-undo"));
        Files.delete(source.resolve("migration/U1__create_users.sql"));
        new Scripts(source.resolve("model")).copyAll(fixtures.resolve("three-revisions/model"));
        CheckResult result;
        try (Throwaway throwaway = throwaway()) {
            result = new Check(project(source, List.of("sites")), reporter).run(throwaway, true);
        }
        assertThat(result.model().hasDifferences(true)).isFalse();
        assertThat(result.steps())
                .extracting(CheckResult.Step::problem)
                .containsExactly(
                        "it has no undo script: write U1__create_users.sql",
                        "the undo (U2__create_sites.sql) failed at line 2 (SQL state 42P01: table \"no_such_table\" does not exist)",
                        null);
        assertThat(reporter.infos).contains("Stairway 3 - add site timezone (3/3): the undo reverts it");
        assertThat(result.junitReport(false).cases())
                .extracting(
                        JunitReport.TestCase::name,
                        test -> test.failed() ? test.failure().message() : "passed")
                .containsExactly(
                        tuple("migrations against the model", "passed"),
                        tuple(
                                "revision 1 - create users: upgrade, undo, upgrade again",
                                "it has no undo script: write U1__create_users.sql"),
                        tuple(
                                "revision 2 - create sites: upgrade, undo, upgrade again",
                                "the undo (U2__create_sites.sql) failed at line 2 (SQL state 42P01: table \"no_such_table\" does not exist)"),
                        tuple("revision 3 - add site timezone: upgrade, undo, upgrade again", "passed"));
        assertThat(throwawayDatabases()).isEmpty();
    }

    @Test
    void aStairwayClimbedInSegmentsAtOnceGivesTheStepsOfOneClimb() throws Exception {
        ProjectBuilds builds = project(core(), CORE_REFERENCE_TABLES);
        CheckResult one;
        CheckResult cut;
        try (Throwaway throwaway = throwaway()) {
            one = new Check(builds, reporter, new Segments(1, 1)).run(throwaway, true);
            // 4 segments of 4, 3, 3 and 3 revisions, each on a database of its own
            cut = new Check(builds, reporter, new Segments(4, 1)).run(throwaway, true);
        }
        assertThat(cut.steps())
                .extracting(
                        step -> step.revision().id(),
                        CheckResult.Step::problem,
                        step -> step.undone().report())
                .containsExactlyElementsOf(one.steps().stream()
                        .map(step -> tuple(
                                step.revision().id(),
                                step.problem(),
                                step.undone().report()))
                        .toList());
        assertThat(cut.report(false)).isEqualTo(one.report(false));
        assertThat(cut.failedSteps(true))
                .extracting(step -> step.revision().id())
                .containsExactly("0.1", "0.4");
        assertThat(throwawayDatabases()).isEmpty();
    }

    @Test
    void aScriptsDatabasePlaceholderNamesTheDatabaseTheStairwayClimbsOn() throws Exception {
        Path fixtures = Path.of("src/it/fixtures");
        Path source = project.resolve("source");
        // each migration fails unless ${flyway:database} names the database it runs on
        String guard = "DO $$ BEGIN IF current_database() <> '${flyway:database}' THEN "
                + "RAISE EXCEPTION 'ran on %, ${flyway:database} is ${flyway:database}', current_database(); "
                + "END IF; END $$;\n";
        Scripts scripts = new Scripts(source.resolve("migration")).copyAll(fixtures.resolve("failing-undo"));
        try (var files = Files.list(scripts.directory())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("V"))
                    .toList()) {
                scripts.write(file.getFileName().toString(), guard + Files.readString(file));
            }
        }
        new Scripts(source.resolve("model")).copyAll(fixtures.resolve("three-revisions/model"));
        try (Throwaway throwaway = throwaway()) {
            // the undo of 2 fails: the climb goes on from a database built afresh; then a segment
            // per revision, each on a database of its own
            for (Segments segments : List.of(new Segments(1, 1), new Segments(3, 1))) {
                CheckResult result =
                        new Check(project(source, List.of("sites")), reporter, segments).run(throwaway, true);
                assertThat(result.steps())
                        .extracting(step -> step.revision().id(), CheckResult.Step::problem)
                        .containsExactly(FAILING_UNDO_STEPS);
            }
        }
        assertThat(throwawayDatabases()).isEmpty();
    }

    @Test
    void aDatabasePlaceholderInTheCatalogIsNoDifferenceBetweenTheMigrationsAndTheModel() throws Exception {
        Path fixtures = Path.of("src/it/fixtures");
        Path source = project.resolve("source");
        // each side's comment names its own throwaway database
        String comment = "\nCOMMENT ON TABLE users IS 'lives in ${flyway:database}';\n";
        Scripts migrations = new Scripts(source.resolve("migration")).copyAll(fixtures.resolve("three-revisions"));
        migrations.write(
                "V1__create_users.sql",
                Files.readString(migrations.directory().resolve("V1__create_users.sql")) + comment);
        Scripts model = new Scripts(source.resolve("model")).copyAll(fixtures.resolve("three-revisions/model"));
        model.write("010-tables.sql", Files.readString(model.directory().resolve("010-tables.sql")) + comment);
        CheckResult result;
        try (Throwaway throwaway = throwaway()) {
            result = new Check(project(source, List.of("sites")), reporter).run(throwaway, false);
        }
        assertThat(result.model().report()).isEmpty();
    }

    @Test
    void aFailingUndoInALaterSegmentRebuildsThatSegmentsDatabaseAndItGoesOn() throws Exception {
        Path fixtures = Path.of("src/it/fixtures");
        Path source = project.resolve("source");
        new Scripts(source.resolve("migration")).copyAll(fixtures.resolve("failing-undo"));
        new Scripts(source.resolve("model")).copyAll(fixtures.resolve("three-revisions/model"));
        CheckResult result;
        try (Throwaway throwaway = throwaway()) {
            // a segment per revision: 2 is climbed on a database upgraded through 1, 3 on one through 2
            result = new Check(project(source, List.of("sites")), reporter, new Segments(3, 1)).run(throwaway, true);
        }
        assertThat(result.steps())
                .extracting(step -> step.revision().id(), CheckResult.Step::problem)
                .containsExactly(FAILING_UNDO_STEPS);
        assertThat(reporter.infos).contains("Stairway 3 - add site timezone (3/3): the undo reverts it");
        assertThat(throwawayDatabases()).isEmpty();
    }

    @Test
    void aRevisionThatCopiesRowsFromStdinClimbsTheStairwayWithItsRows() throws Exception {
        Path source = project.resolve("source");
        new Scripts(source.resolve("migration"))
                .copyAll(Path.of("src/it/fixtures/three-revisions"))
                .write(
                        "V2__create_sites.sql",
                        "CREATE TABLE sites (\n    id serial PRIMARY KEY,\n    name varchar(80) NOT NULL\n);\n"
                                + "COPY sites (name) FROM stdin;\nHQ\n\\.\n");
        Files.delete(source.resolve("migration/model")); // copied as an empty directory
        new Scripts(source.resolve("model")).copyAll(Path.of("src/it/fixtures/three-revisions/model"));
        CheckResult result;
        try (Throwaway throwaway = throwaway()) {
            result = new Check(project(source, List.of("sites")), reporter).run(throwaway, true);
        }
        // the model's default row is the one COPY fed, on the way up and again after the undo
        assertThat(result.model().hasDifferences(true)).isFalse();
        assertThat(result.steps()).extracting(CheckResult.Step::problem).containsExactly(null, null, null);

        // an undo whose rows have no \. line, which db-downgrade refuses: the stairway runs none of it
        new Scripts(source.resolve("migration"))
                .write("U2__create_sites.sql", "COPY sites (name) FROM stdin;\nHQ\nDROP TABLE sites;\n");
        try (Throwaway throwaway = throwaway()) {
            result = new Check(project(source, List.of("sites")), reporter).run(throwaway, true);
        }
        assertThat(result.steps())
                .extracting(CheckResult.Step::problem)
                .containsExactly(
                        null,
                        "the undo (U2__create_sites.sql) failed at line 1 (COPY ... FROM stdin: its data have no line "
                                + "\\. alone that ends them (Flyway also ends them at a \\. among spaces, psql does "
                                + "not): end the rows with a line holding \\. alone)",
                        null);
        assertThat(throwawayDatabases()).isEmpty();
    }

    @Test
    void aProjectWithoutRevisionsHasAStairwayOfNoStep() throws Exception {
        Path source = project.resolve("source");
        new Scripts(source.resolve("migration"));
        new Scripts(source.resolve("model")).copyAll(Path.of("src/it/fixtures/three-revisions/model"));
        CheckResult result;
        try (Throwaway throwaway = throwaway()) {
            result = new Check(project(source, List.of("sites")), reporter).run(throwaway, true);
        }
        assertThat(result.revisions()).isEmpty();
        assertThat(result.steps()).isEmpty();
        // the model's tables are not built by any migration
        assertThat(result.model().hasDifferences(true)).isTrue();
        assertThat(throwawayDatabases()).isEmpty();
    }

    @Test
    void aUserWithoutCreatedbIsToldWhichPrivilegeIsMissing() {
        server.execute("postgres", "DROP ROLE IF EXISTS no_createdb");
        server.execute("postgres", "CREATE ROLE no_createdb LOGIN PASSWORD 'n0-cr3atedb'");
        var uri = server.ownerUri("postgres").withCredentials("no_createdb", "n0-cr3atedb");
        try (Throwaway throwaway = Throwaway.on(uri, Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> throwaway.create("model"))
                    .isInstanceOf(EnvironmentException.class)
                    .hasMessage(
                            "Cannot create a throwaway database on postgresql+psycopg://no_createdb:***@localhost:"
                                    + server.port()
                                    + "/postgres (bemserver.devUri): user no_createdb lacks the CREATEDB privilege; "
                                    + "grant it (ALTER ROLE ... CREATEDB) or point bemserver.devUri at a server where it has it");
        }
        // named by bemserver.devUriEnv: the message names the variable
        try (Throwaway throwaway = Throwaway.on(uri, "DEV_URI (bemserver.devUriEnv)", Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> throwaway.create("model"))
                    .hasMessageEndingWith("/postgres (DEV_URI (bemserver.devUriEnv)): user no_createdb lacks the "
                            + "CREATEDB privilege; grant it (ALTER ROLE ... CREATEDB) or point DEV_URI "
                            + "(bemserver.devUriEnv) at a server where it has it");
        }
    }
}
