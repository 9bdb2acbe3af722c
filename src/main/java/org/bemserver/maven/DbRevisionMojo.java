package org.bemserver.maven;

import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.revision.RevisionWriter;
import org.eclipse.aether.RepositorySystem;

/**
 * Writes a new revision: {@code V<rev>__<slug>.sql} and its undo {@code U<rev>__<slug>.sql} in the
 * first migration location, empty for you to fill, or with autogenerate, filled with the
 * difference between the migrations at head and the model, proven on throwaway databases.
 */
@Mojo(name = "db-revision", threadSafe = true)
public class DbRevisionMojo extends AbstractThrowawayMojo {

    /** What the revision does, in one line (e.g. {@code Add site timezone}); it names the files. */
    @Parameter(property = "bemserver.message")
    protected String message;

    /**
     * The new revision ({@code 8}, {@code 2026.11.25.1}); by default the next integer after the
     * highest existing revision. It must be above every existing one.
     */
    @Parameter(property = "bemserver.revId")
    protected String revId;

    /**
     * Fills both files with the SQL that turns the schema the migrations build into the one the
     * model builds, and back, with the reference tables' rows.
     */
    @Parameter(property = "bemserver.autogenerate", defaultValue = "false")
    protected boolean autogenerate;

    /**
     * With autogenerate, writes a rename where an object was dropped and one of the same
     * definition added (marked {@code -- REVIEW} in the script); {@code false} drops and adds them
     * instead, with the data-loss warning.
     */
    @Parameter(property = "bemserver.renames", defaultValue = "true")
    protected boolean renames;

    @Inject
    public DbRevisionMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem, settingsDecrypter);
    }

    @Override
    protected void run(Reporter reporter) {
        MigrationSettings settings = migrationSettings();
        RevisionWriter writer = RevisionWriter.plan(settings, message, revId, reporter);
        if (!autogenerate) {
            writer.writeEmpty();
            return;
        }
        var builds = projectBuilds();
        withThrowaway(reporter, throwaway -> writer.writeGenerated(builds, throwaway, renames));
    }
}
