package org.bemserver.schema.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.connect.ConnectionSettings;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.schema.migrate.SqlFailures;
import org.bemserver.schema.migrate.SqlScript;
import org.bemserver.schema.migrate.Stamp;

/**
 * Builds a database at head straight from the model ({@code bemserver_setup_db}): checks that the
 * managed schemas are empty (or, with a reset, drops what they hold), applies the model files, and
 * records every script of the project as applied, all in one transaction under the migration
 * locks.
 */
public final class Setup {

    private final Migrations migrations;
    private final MigrationSettings settings;
    private final List<Path> modelFiles;
    private final Reporter reporter;

    public Setup(Migrations migrations, List<Path> modelFiles, Reporter reporter) {
        this.migrations = migrations;
        this.settings = migrations.settings();
        this.modelFiles = List.copyOf(modelFiles);
        this.reporter = reporter;
    }

    /**
     * Refuses a reset of a database that is not on this machine unless the user said they mean it.
     * Needs no connection: it runs before one is opened.
     */
    public static void checkReset(
            ConnectionSettings connection, List<String> schemas, boolean reset, boolean allowRemote) {
        if (!reset || allowRemote || connection.isEmbedded() || connection.uri().isLoopback()) {
            return;
        }
        String host = connection.uri().host();
        throw new ConfigurationException("Refusing to reset the database on " + host + ": -Dbemserver.reset=true drops "
                + "everything in schema" + (schemas.size() > 1 ? "s " : " ") + String.join(", ", schemas) + " and "
                + host
                + " is not this machine; add -Dbemserver.allowRemoteReset=true if you mean it");
    }

    public SetupResult run(boolean reset) {
        Stamp stamp = migrations.stampAtHead();
        List<SqlScript> model = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : modelFiles) {
            String name = file.getFileName().toString();
            SqlScript script;
            try {
                script = SqlScript.parse(
                        name, migrations.replacePlaceholders(name, Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new EnvironmentException("Cannot read " + settings.display(file) + ": " + e.getMessage(), e);
            }
            for (SqlScript.Statement statement : script.statements()) {
                String refusal = statement.refusal() != null
                        ? statement.refusal()
                        : statement.canRunInTransaction()
                                ? null
                                : "it cannot run in a transaction, and the model is applied in one";
                if (refusal != null) {
                    problems.add(settings.display(file) + " line " + statement.line() + " (" + statement.summary()
                            + "): " + refusal);
                }
            }
            model.add(script);
        }
        if (!problems.isEmpty()) {
            throw new MigrationException("Cannot set up, nothing was changed: " + String.join("; ", problems));
        }
        return migrations.inLockedTransaction(connection -> {
            String dropped = emptySchemas(connection, stamp, reset);
            for (int i = 0; i < model.size(); i++) {
                reporter.info("Applying model " + model.get(i).name() + " (" + (i + 1) + "/" + model.size() + ")");
                try {
                    migrations.runScript(connection, model.get(i));
                } catch (SqlScript.StatementFailure failure) {
                    throw failedModel(modelFiles.get(i), failure, dropped != null);
                }
            }
            stamp.record(connection);
            reporter.info("Recorded " + stamp.size() + " script" + (stamp.size() == 1 ? "" : "s") + " as applied in "
                    + stamp.table() + (stamp.head() == null ? "" : " (head: revision " + stamp.head() + ")"));
            return new SetupResult(
                    stamp.head(), model.stream().map(SqlScript::name).toList(), dropped);
        });
    }

    /** Makes sure the managed schemas exist and hold nothing; returns what a reset dropped. */
    private String emptySchemas(Connection connection, Stamp stamp, boolean reset) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String schema : settings.schemas()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quoted(schema));
            }
        }
        List<SchemaObject> found = new ArrayList<>();
        for (SchemaObject object : SchemaContents.read(connection, settings.schemas())) {
            // an empty history table (left by db-downgrade to base) is no obstacle
            if (!(object.kind().equals("table")
                    && stamp.isHistoryTable(object.schema(), object.name())
                    && stamp.existingRows(connection) == 0)) {
                found.add(object);
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        String description = SchemaContents.describe(found);
        if (!reset) {
            throw new ConfigurationException("The database is not empty: " + description + "; db-setup builds an empty "
                    + "database from the model: "
                    + (stamp.existingRows(connection) == 0
                            ? "adopt this one with db-baseline (it has no history of this plugin)"
                            : "bring this one to head with db-upgrade")
                    + ", or drop everything in it first with -Dbemserver.reset=true");
        }
        List<String> outside = SchemaContents.dependentsOutside(connection, settings.schemas());
        if (!outside.isEmpty()) {
            throw new ConfigurationException("The reset would also drop what other schemas build on the managed ones: "
                    + String.join(", ", outside)
                    + "; nothing was changed: drop or move them first, or add their schemas "
                    + "to bemserver.schemas");
        }
        reporter.info("Dropping " + description + " (reset)");
        SchemaContents.drop(connection, found);
        List<SchemaObject> left = SchemaContents.read(connection, settings.schemas());
        if (!left.isEmpty()) {
            throw new EnvironmentException("The reset could not drop " + SchemaContents.describe(left)
                    + "; nothing was changed: drop them by hand");
        }
        return description;
    }

    private MigrationException failedModel(Path file, SqlScript.StatementFailure failure, boolean reset) {
        SQLException e = failure.sqlException();
        String advice = SqlFailures.environmentAdvice(e, migrations.locking());
        return new MigrationException(
                "Model file " + settings.display(file) + " failed " + failure.where()
                        + " (" + SqlFailures.describe(e) + "); nothing was changed"
                        + (reset ? " (the reset was rolled back too)" : "")
                        + ": " + (advice != null ? advice : "fix the model and run db-setup again"),
                e);
    }
}
