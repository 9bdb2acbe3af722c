package org.bemserver.maven;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.migrate.Revision;
import org.eclipse.aether.RepositorySystem;

/** The goals that move a database from one revision to another, and can show instead what they would do. */
public abstract class AbstractChangeMojo extends AbstractDbMojo {

    /**
     * Prints the plan, and on standard output the SQL that would run (placeholders replaced),
     * without changing anything.
     */
    @Parameter(property = "bemserver.dryRun", defaultValue = "false")
    protected boolean dryRun;

    protected AbstractChangeMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem, settingsDecrypter);
    }

    /** The last line of a run: where the database is, or would be after a dry run (whose SQL is printed first). */
    protected void finish(Reporter reporter, String revision, String dryRunSql) {
        if (dryRun) {
            printDocument(dryRunSql);
            reporter.info(
                    "Dry run: nothing was changed; the database would be at revision " + Revision.display(revision));
        } else {
            reporter.info("Database at revision " + Revision.display(revision));
        }
    }
}
