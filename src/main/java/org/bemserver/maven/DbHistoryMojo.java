package org.bemserver.maven;

import java.util.List;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.migrate.Adoption;
import org.bemserver.schema.migrate.History;
import org.bemserver.schema.migrate.HistoryEntry;
import org.eclipse.aether.RepositorySystem;

/** Prints every revision of the project and of the database: its state and when it was applied. */
@Mojo(name = "db-history", threadSafe = true)
public class DbHistoryMojo extends AbstractReportMojo {

    @Inject
    public DbHistoryMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem, settingsDecrypter);
    }

    @Override
    protected void run(Reporter reporter) {
        OutputFormat output = outputFormat();
        withMigrations(reporter, migrations -> {
            List<HistoryEntry> entries = migrations.history();
            // a row means a history table: only a database with none can be one to adopt
            Adoption adoption =
                    entries.stream().anyMatch(entry -> entry.appliedAt() != null) ? null : migrations.adoption();
            if (adoption != null && adoption.unmanaged()) {
                reporter.warn(adoption.currentLine());
            }
            if (output == OutputFormat.JSON) {
                printDocument(History.toJson(entries));
            } else {
                History.toText(entries).forEach(reporter::info);
            }
        });
    }
}
