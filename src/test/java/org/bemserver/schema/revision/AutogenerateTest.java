package org.bemserver.schema.revision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.model.ModelFiles;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.Scripts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code db-revision -Dbemserver.autogenerate=true} on a real PostgreSQL: the engine, without Maven. */
class AutogenerateTest extends EngineTest {

    private static final String MIGRATIONS = "src/main/resources/db/migration";
    private static final String MODEL = "src/main/resources/db/model";
    private static final String COMMENT = "\nCOMMENT ON TABLE users IS 'lives in ${flyway:database}';\n";

    private Scripts migrations;
    private Scripts model;

    @BeforeEach
    void project() {
        Path fixtures = Path.of("src/it/fixtures/three-revisions");
        migrations = new Scripts(project.resolve(MIGRATIONS)).copyAll(fixtures);
        model = new Scripts(project.resolve(MODEL)).copyAll(fixtures.resolve("model"));
    }

    private Autogenerate.Result autogenerate() {
        return autogenerate(true);
    }

    private Autogenerate.Result autogenerate(boolean placeholderReplacement) {
        ProjectBuilds builds = new ProjectBuilds(
                new MigrationSettings(
                        project,
                        List.of(MIGRATIONS),
                        List.of("public"),
                        "flyway_schema_history",
                        Map.of(),
                        false,
                        placeholderReplacement),
                ModelFiles.list(project, MODEL),
                List.of("sites"));
        try (Throwaway throwaway = Throwaway.on(server.ownerUri("postgres"), Duration.ofSeconds(10))) {
            return Autogenerate.run(builds, throwaway, reporter);
        }
    }

    private void append(Scripts scripts, String file, String sql) throws Exception {
        scripts.write(file, Files.readString(scripts.directory().resolve(file)) + sql);
    }

    @Test
    void aDatabasePlaceholderOnBothSidesIsNoChange() throws Exception {
        // the migrations and the model each run on a throwaway database of their own name
        append(migrations, "V1__create_users.sql", COMMENT);
        append(model, "010-tables.sql", COMMENT);
        Autogenerate.Result result = autogenerate();
        assertThat(result.diff().report()).isEmpty();
        assertThat(result.isEmpty()).isTrue();
    }

    @Test
    void aDatabasePlaceholderNewInTheModelIsWrittenAsThePlaceholder() throws Exception {
        append(model, "010-tables.sql", COMMENT);
        Autogenerate.Result result = autogenerate();
        // Flyway replaces it when the revision runs: no throwaway database's name is written
        assertThat(result.migration().render())
                .contains("COMMENT ON TABLE public.users IS 'lives in ${flyway:database}'")
                .doesNotContain("bemserver_tmp_");
        assertThat(result.undo().render()).contains("COMMENT ON TABLE public.users IS NULL");
        assertThat(result.unproven()).isEmpty();
    }

    @Test
    void theDatabasesNameIsNotProvenWhenPlaceholdersAreNotReplaced() throws Exception {
        // the model names the database it runs on; Flyway would leave ${flyway:database} as written
        append(
                model,
                "010-tables.sql",
                "\nDO $$ BEGIN EXECUTE format('COMMENT ON TABLE users IS %L', "
                        + "'lives in ' || current_database()); END $$;\n");
        Autogenerate.Result result = autogenerate(false);
        assertThat(result.migration().render())
                .contains("COMMENT ON TABLE public.users IS 'lives in ${flyway:database}'");
        assertThat(result.unproven())
                .containsExactly("the generated migration writes ${flyway:database} for the name of the database it "
                        + "runs on, which stays as written with bemserver.placeholderReplacement=false: write the "
                        + "name there, or let placeholders be replaced");
    }
}
