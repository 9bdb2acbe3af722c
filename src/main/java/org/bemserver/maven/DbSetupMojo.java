package org.bemserver.maven;

import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.connect.ConnectionSettings;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Revision;
import org.bemserver.schema.model.ModelFiles;
import org.bemserver.schema.model.Setup;
import org.bemserver.schema.model.SetupResult;
import org.eclipse.aether.RepositorySystem;

/**
 * Builds an empty database straight from the model (the schema at head as plain SQL, default rows
 * included) and records it at head in Flyway's history, in one transaction.
 */
@Mojo(name = "db-setup", threadSafe = true)
public class DbSetupMojo extends AbstractDbMojo {

    /**
     * Drops everything in the managed schemas first (tables, views, sequences, types, functions,
     * the history table; extensions and the schemas themselves stay). Refused for a database that
     * is not on this machine unless {@code allowRemoteReset} is set.
     */
    @Parameter(property = "bemserver.reset", defaultValue = "false")
    protected boolean reset;

    /** Lets {@code reset} drop the schemas of a database on another host. */
    @Parameter(property = "bemserver.allowRemoteReset", defaultValue = "false")
    protected boolean allowRemoteReset;

    private List<Path> modelFiles;

    /** Skips this goal ({@code bemserver.skip} skips every goal of the plugin). */
    @Parameter(property = "bemserver.setup.skip", defaultValue = "false")
    protected boolean skipSetup;

    @Inject
    public DbSetupMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem, settingsDecrypter);
    }

    @Override
    protected void beforeConnect(ConnectionSettings connection, MigrationSettings migrations) {
        Setup.checkReset(connection, migrations.schemas(), reset, allowRemoteReset);
        modelFiles = ModelFiles.list(project().getBasedir().toPath(), model);
    }

    @Override
    protected void run(Reporter reporter) {
        withMigrations(reporter, migrations -> {
            SetupResult result = new Setup(migrations, modelFiles, reporter).run(reset);
            reporter.info("Database at revision " + Revision.display(result.revision()));
        });
    }

    @Override
    protected boolean skipGoal() {
        return skipSetup;
    }
}
