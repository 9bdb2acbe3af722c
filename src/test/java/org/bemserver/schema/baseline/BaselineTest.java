package org.bemserver.schema.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.OutputFile;
import org.bemserver.schema.check.Check;
import org.bemserver.schema.check.CheckResult;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.drift.Drift;
import org.bemserver.schema.migrate.Adoption;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.schema.model.ModelFiles;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.Scripts;
import org.bemserver.testing.TestServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

class BaselineTest extends EngineTest {

    private static final String MIGRATIONS = "src/main/resources/db/migration";
    private static final String HISTORY_ROWS =
            "SELECT installed_rank, version, description, type, script, checksum, installed_by, success "
                    + "FROM flyway_schema_history ORDER BY installed_rank";

    private Scripts scripts;
    private ProjectBuilds builds;

    private void project(boolean corpus, String... referenceTables) {
        scripts = new Scripts(project.resolve(MIGRATIONS));
        if (corpus) {
            try {
                scripts.copyAll(Path.of(getClass()
                        .getResource("/corpus/bemserver-core/db/migration")
                        .toURI()));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        } else {
            scripts.threeRevisions();
        }
        builds = new ProjectBuilds(
                new MigrationSettings(
                        project, List.of(MIGRATIONS), List.of("public"), "flyway_schema_history", Map.of()),
                List.of(),
                List.of(referenceTables));
    }

    /**
     * Builds the schema as an Alembic installation holds it: the V scripts up to {@code revision} run as
     * plain SQL by the owner, and, unless {@code alembic} is {@code null}, Alembic's version table
     * holding those revisions.
     */
    private void installation(DatabaseUri target, String revision, String... alembic) {
        server.execute(
                target.database(),
                "SET ROLE " + TestServer.OWNER + ";\n" + scripts.plainSqlUpTo(revision)
                        + (alembic == null ? "" : Scripts.alembicVersion(alembic)));
    }

    private Migrations migrations() {
        return builds.migrations(database, reporter);
    }

    private OutputFile report() {
        return new OutputFile(project.resolve("target/bemserver/baseline-report.txt"), project, "baseline report");
    }

    private List<String> reportLines() throws IOException {
        return Files.readAllLines(project.resolve("target/bemserver/baseline-report.txt"));
    }

    /** db-baseline as the goal runs it; {@code null} when there was nothing to do. */
    private Baseline.Proof baseline(String revision, boolean acceptDifferences, boolean dropAlembicVersion) {
        Baseline baseline = new Baseline(builds, reporter);
        Baseline.Target target = baseline.target(migrations(), revision);
        if (target == null) {
            return null;
        }
        try (Throwaway throwaway = Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10))) {
            Baseline.Proof proof = baseline.prove(database, target, throwaway);
            baseline.stamp(migrations(), proof, acceptDifferences, dropAlembicVersion, report());
            return proof;
        }
    }

    private boolean hasHistoryTable() {
        return server.tables(uri.database(), "public").contains("flyway_schema_history");
    }

    private List<String> throwawayDatabases() {
        return server.column("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'bemserver_tmp_%'");
    }

    @Test
    void anAlembicInstallationOfBemserverCoreIsAdoptedThenUpgradesDriftsNotAndDowngrades() throws Exception {
        project(true);
        installation(uri, "0.21", "0.21");
        DatabaseUri byFlyway = server.createDatabase("flyway");
        Flyway.configure()
                .dataSource(byFlyway.jdbcUrl(), byFlyway.user(), byFlyway.password())
                .locations("filesystem:" + scripts.directory())
                .load()
                .migrate();
        assertThat(migrations().adoption().currentLine())
                .isEqualTo(
                        "Current revision: none recorded by this plugin; alembic_version says 0.21: run db-baseline");

        Baseline.Proof proof = baseline(null, false, false);

        assertThat(proof.proven()).isTrue();
        assertThat(reporter.infos)
                .contains("Built revision 0.21 on a throwaway database")
                .contains("Baselined the database at revision 0.21: 13 scripts recorded as applied in "
                        + "public.flyway_schema_history (proven: the database holds exactly that revision); "
                        + "alembic_version left in place (report: target/bemserver/baseline-report.txt)");
        assertThat(reportLines())
                .containsExactly(
                        "Live database against revision 0.21 built by the migrations (alembic_version and "
                                + "public.flyway_schema_history left out)",
                        "  same schema and reference rows");
        // the rows Flyway itself writes when it applies the scripts, installed_by included
        assertThat(server.query(uri.database(), HISTORY_ROWS))
                .hasSize(13)
                .isEqualTo(server.query(byFlyway.database(), HISTORY_ROWS));
        assertThat(server.column(uri.database(), "SELECT version_num FROM alembic_version"))
                .containsExactly("0.21");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 0.21 (head)");
        scripts.assertFlywayValidates(uri);
        assertThat(throwawayDatabases()).isEmpty();

        // the next release's revision applies on top, and the database then holds exactly it
        scripts.write("V0.22__add_site_timezone.sql", "ALTER TABLE sites ADD COLUMN timezone varchar(40);\n")
                .write("U0.22__add_site_timezone.sql", "ALTER TABLE sites DROP COLUMN timezone;\n");
        migrations().upgrade(null, false);
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 0.22 (head)");
        try (Throwaway throwaway = Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10))) {
            Drift drift = new Drift(builds, reporter);
            assertThat(drift.run(database, drift.recorded(database, migrations(), false), throwaway)
                            .passed())
                    .isTrue();
        }

        // and db-check (migrations against the model, which gains the column too) passes
        String model = "src/main/resources/db/model";
        new Scripts(project.resolve(model))
                .copyAll(Path.of(getClass()
                        .getResource("/corpus/bemserver-core/db/model")
                        .toURI()))
                .write("zz_site_timezone.sql", "ALTER TABLE sites ADD COLUMN timezone varchar(40);\n");
        ProjectBuilds withModel =
                new ProjectBuilds(builds.settings(), ModelFiles.list(project, model), builds.referenceTables());
        try (Throwaway throwaway = Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10))) {
            CheckResult check = new Check(withModel, reporter).run(throwaway, false);
            assertThat(check.model().report()).isEmpty();
        }

        // and every undo script runs, down to base: only Alembic's table and the history are left
        migrations().downgrade("base", false);
        assertThat(server.tables(uri.database(), "public")).containsExactly("alembic_version", "flyway_schema_history");
    }

    @Test
    void aHandMadeIndexIsRefusedByNameAndNothingIsWritten() throws Exception {
        project(true);
        installation(uri, "0.21", "0.21");
        server.execute(uri.database(), "CREATE INDEX hotfix_sites_name ON sites (name)");

        assertThatThrownBy(() -> baseline(null, false, false))
                .isInstanceOf(MigrationException.class)
                .hasMessage("The database does not hold revision 0.21: 1 difference (listed above and in "
                        + "target/bemserver/baseline-report.txt); nothing was written: return it to revision 0.21, "
                        + "baseline it at the revision it holds, or record it as it is with "
                        + "-Dbemserver.acceptDifferences=true");

        assertThat(reporter.warnings).contains("  + index public.hotfix_sites_name");
        assertThat(reportLines()).contains("  + index public.hotfix_sites_name");
        assertThat(hasHistoryTable()).isFalse();
        assertThat(server.column(uri.database(), "SELECT version_num FROM alembic_version"))
                .containsExactly("0.21");
        assertThat(throwawayDatabases()).isEmpty();
    }

    @Test
    void acceptedDifferencesAreRecordedInTheReportAndTheHistoryTablesComment() throws Exception {
        project(false, "sites");
        installation(uri, "3", "3");
        server.execute(uri.database(), "UPDATE sites SET name = 'Head office'");

        Baseline.Proof proof = baseline(null, true, false);

        assertThat(proof.proven()).isFalse();
        assertThat(reportLines()).contains("  ~ rows public.sites: ~ (1, 'HQ', 'UTC') -> (1, 'Head office', 'UTC')");
        assertThat(server.value(uri.database(), "SELECT obj_description('flyway_schema_history'::regclass)"))
                .isEqualTo("db-baseline recorded revision 3 with 1 difference accepted "
                        + "(-Dbemserver.acceptDifferences): ~ rows public.sites: ~ (1, 'HQ', 'UTC') -> "
                        + "(1, 'Head office', 'UTC')");
        assertThat(reporter.infos)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("Baselined the database at revision 3: 3 scripts recorded as applied")
                        .contains("1 difference accepted, listed in target/bemserver/baseline-report.txt"));
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 3 (head)");
    }

    @Test
    void aDatabasePlaceholderNamesTheLiveDatabaseAndIsNoDifference() throws Exception {
        project(false);
        scripts.write("V4__comment.sql", "COMMENT ON TABLE users IS 'lives in ${flyway:database}';\n");
        // as Alembic's installation ran it: the placeholder was the live database's name
        server.execute(
                uri.database(),
                "SET ROLE " + TestServer.OWNER + ";\n"
                        + scripts.plainSqlUpTo("4").replace("${flyway:database}", uri.database())
                        + Scripts.alembicVersion("4"));

        Baseline.Proof proof = baseline(null, false, false);

        assertThat(proof.diff().report()).isEmpty();
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 4 (head)");
    }

    @Test
    void anExplicitRevisionAdoptsADatabaseWithoutAlembicAndUpgradesFromThere() {
        project(false);
        installation(uri, "2", (String[]) null);
        assertThat(migrations().adoption().currentLine())
                .isEqualTo("Current revision: none recorded by this plugin; schema public holds 2 tables: "
                        + "run db-baseline -Dbemserver.revision=<the revision it holds>");
        assertThatThrownBy(() -> baseline(null, false, false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("bemserver.revision is required: the database has no alembic_version revision to read; "
                        + "pass -Dbemserver.revision=<the revision it holds> (this project's: 1, 2, 3)");

        baseline("2", false, false);

        assertThat(migrations().status().toText()).isEqualTo("Current revision: 2 (1 pending: 3)");
        migrations().upgrade(null, false);
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 3 (head)");
    }

    @Test
    void theWrongRevisionIsRefusedAndAlembicsTableIsDroppedOnlyWhenAsked() throws Exception {
        project(false);
        installation(uri, "3", "3");

        assertThatThrownBy(() -> baseline("2", false, false))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("The database does not hold revision 2: 1 difference");
        assertThat(reporter.warnings)
                .contains("alembic_version says 3, but bemserver.revision asks for 2: the proof decides which one "
                        + "the database holds");
        assertThat(reportLines()).contains("  + column public.sites.timezone");
        assertThat(hasHistoryTable()).isFalse();

        baseline("head", false, true);

        assertThat(server.tables(uri.database(), "public")).doesNotContain("alembic_version");
        assertThat(reporter.infos).anySatisfy(line -> assertThat(line).contains("alembic_version dropped"));
        // a second run has nothing to do, and says where the database stands
        assertThat(baseline(null, false, false)).isNull();
        assertThat(reporter.infos)
                .contains("Nothing to baseline: the database already has its history table "
                        + "public.flyway_schema_history, at revision 3 (db-current tells where it stands, db-upgrade "
                        + "applies what is pending)");
        assertThatThrownBy(() -> baseline("1", false, false))
                .isInstanceOf(MigrationException.class)
                .hasMessage("The database already has its history table public.flyway_schema_history, at revision "
                        + "3: db-baseline records only revisions above it (such as one db-drift captured from the "
                        + "database); move it to 1 with db-upgrade or db-downgrade; nothing was written");
    }

    @Test
    void aRevisionTheDatabaseAlreadyHoldsIsRecordedAfterItsProofAsAfterACapture() {
        project(false);
        builds.migrations(database, reporter).upgrade("2", false);
        // the change of revision 3 made by hand (then captured by db-drift as revision 3)
        server.execute(uri.database(), "ALTER TABLE sites ADD COLUMN timezone varchar(40) NOT NULL DEFAULT 'UTC'");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 2 (1 pending: 3)");

        Baseline.Proof proof = baseline("3", false, false);

        assertThat(proof.proven()).isTrue();
        assertThat(server.column(uri.database(), "SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactly("1", "2", "3");
        assertThat(migrations().status().toText()).isEqualTo("Current revision: 3 (head)");
        assertThat(migrations().upgrade(null, false).applied()).isEmpty();
    }

    @Test
    void revisionsTheProjectDoesNotHaveAreRefusedBeforeAnyThrowaway() {
        project(true);
        installation(uri, "0.4", "0.5");
        assertThatThrownBy(() -> baseline(null, false, false))
                .isInstanceOf(MigrationException.class)
                .hasMessage("alembic_version says 0.5, which is not a revision of this project (nearest: 0.4, 0.6): "
                        + "pass -Dbemserver.revision=<the revision the database holds>; nothing was written");
        assertThatThrownBy(() -> baseline("0.2", false, false))
                .hasMessage("bemserver.revision 0.2, which is not a revision of this project (nearest: 0.1, 0.3); "
                        + "nothing was written");
        server.execute(uri.database(), "UPDATE alembic_version SET version_num = '0.23'");
        assertThatThrownBy(() -> baseline(null, false, false))
                .hasMessage("alembic_version says 0.23, ahead of this project's head 0.21: run db-baseline from the "
                        + "version of the project that has revision 0.23; nothing was written");
        server.execute(uri.database(), "INSERT INTO alembic_version VALUES ('0.22')");
        assertThatThrownBy(() -> baseline(null, false, false))
                .hasMessage("alembic_version holds 2 revisions (0.22, 0.23): the database is on several Alembic "
                        + "branches at once, which one revision cannot record; merge them with Alembic first "
                        + "(alembic merge, then alembic upgrade heads); nothing was written");
        assertThat(hasHistoryTable()).isFalse();
        assertThat(throwawayDatabases()).isEmpty();
    }

    @Test
    void aRoleThatMayNotCreateTheHistoryTableIsToldWhatToGrant() {
        project(false);
        installation(uri, "3", "3");
        server.execute(
                uri.database(),
                "DROP ROLE IF EXISTS baseline_reader; CREATE ROLE baseline_reader LOGIN PASSWORD 'r3ader'; "
                        + "GRANT USAGE ON SCHEMA public TO baseline_reader; "
                        + "GRANT SELECT ON ALL TABLES IN SCHEMA public TO baseline_reader");
        DatabaseUri reader = new DatabaseUri(
                "postgresql+psycopg", "localhost", uri.port(), uri.database(), "baseline_reader", "r3ader", Map.of());
        try (Database limited = Database.open(reader, "SQLALCHEMY_DATABASE_URI", Duration.ofSeconds(10))) {
            Baseline baseline = new Baseline(builds, reporter);
            assertThatThrownBy(() -> baseline.target(builds.migrations(limited, reporter), null))
                    .isInstanceOf(EnvironmentException.class)
                    .hasMessage("The role baseline_reader may not create the history table "
                            + "public.flyway_schema_history (no CREATE privilege on schema public); nothing was "
                            + "written: GRANT CREATE ON SCHEMA public TO baseline_reader, or run db-baseline as the "
                            + "schema's owner");
        } finally {
            server.execute(uri.database(), "DROP OWNED BY baseline_reader; DROP ROLE baseline_reader");
        }
    }

    @Test
    void everyGoalThatMeetsAnUnmanagedDatabaseNamesDbBaseline() {
        project(false);
        installation(uri, "2", "2");
        String refusal = "The database has no history table public.flyway_schema_history but schema public holds 2 "
                + "tables (alembic_version says 2): adopt it with db-baseline first, which proves the revision it "
                + "holds and records it; nothing was changed";
        Adoption adoption = migrations().adoption();
        assertThat(adoption.unmanaged()).isTrue();
        assertThat(adoption.refusal()).isEqualTo(refusal);

        assertThatThrownBy(() -> migrations().upgrade(null, false)).hasMessage(refusal);
        assertThatThrownBy(() -> migrations().upgrade(null, true)).hasMessage(refusal);
        assertThatThrownBy(() -> migrations().downgrade("base", false)).hasMessage(refusal);
        assertThatThrownBy(() -> new Drift(builds, reporter).recorded(database, migrations(), false))
                .hasMessage(refusal);
        assertThat(hasHistoryTable()).isFalse();
        assertThat(adoption.toJson(migrations().status()))
                .isEqualTo("{\"current\":null,\"head\":\"3\",\"pending\":[\"1\",\"2\",\"3\"],\"state\":\"unmanaged\","
                        + "\"alembicVersion\":[\"2\"],\"message\":\"Current revision: none recorded by this plugin; "
                        + "alembic_version says 2: run db-baseline\"}");
    }

    @Test
    void theNearestRevisionsAreTheOnesAroundIt() {
        assertThat(Baseline.nearest("0.5", List.of("0.1", "0.4", "0.6", "0.21")))
                .containsExactly("0.4", "0.6");
        assertThat(Baseline.nearest("0.0", List.of("0.1", "0.4"))).containsExactly("0.1");
        assertThat(Baseline.nearest("1", List.of())).containsExactly("none: the project has no revisions");
    }
}
