package org.bemserver.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.schema.model.ModelFiles;
import org.bemserver.schema.model.Setup;

/**
 * Runs one goal's engine work in a JVM of its own, so a test can kill it with SIGKILL mid-run.
 * Arguments: {@code upgrade|downgrade|setup}, the project directory; the URI comes from the
 * environment variable {@code GOAL_DATABASE_URI}.
 */
public final class GoalProcess {

    private GoalProcess() {}

    public static void main(String[] args) {
        String goal = args[0];
        Path project = Path.of(args[1]);
        DatabaseUri uri = DatabaseUri.parse(System.getenv("GOAL_DATABASE_URI"), "GOAL_DATABASE_URI");
        try (Database database = Database.open(uri, "GOAL_DATABASE_URI", Duration.ofSeconds(10))) {
            MigrationSettings settings = new MigrationSettings(
                    project,
                    List.of("src/main/resources/db/migration"),
                    List.of("public"),
                    "flyway_schema_history",
                    Map.of());
            Migrations migrations = new Migrations(database.dataSource(), settings, Reporter.silent());
            switch (goal) {
                case "upgrade" -> migrations.upgrade(null, false);
                case "downgrade" -> migrations.downgrade("base", false);
                case "setup" ->
                    new Setup(migrations, ModelFiles.list(project, "src/main/resources/db/model"), Reporter.silent())
                            .run(true);
                default -> throw new IllegalArgumentException(goal);
            }
        }
    }
}
