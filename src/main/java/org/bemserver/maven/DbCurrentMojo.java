package org.bemserver.maven;

import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.migrate.Adoption;
import org.bemserver.schema.migrate.RevisionStatus;
import org.eclipse.aether.RepositorySystem;

/**
 * Prints the database's current revision and what is pending, e.g.
 * {@code Current revision: 3 (2 pending: 4, 5)}.
 */
@Mojo(name = "db-current", threadSafe = true)
public class DbCurrentMojo extends AbstractReportMojo {

    @Inject
    public DbCurrentMojo(
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
            RevisionStatus status = migrations.status();
            status.problems().forEach(reporter::warn);
            Adoption adoption = status.current() == null ? migrations.adoption() : null;
            if (adoption != null && adoption.unmanaged()) {
                if (output == OutputFormat.JSON) {
                    printDocument(adoption.toJson(status));
                } else {
                    reporter.warn(adoption.currentLine());
                }
            } else if (output == OutputFormat.JSON) {
                printDocument(status.toJson());
            } else {
                reporter.info(status.toText());
            }
        });
    }
}
