package org.bemserver.maven;

import java.io.File;
import java.nio.file.Path;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Revision;
import org.bemserver.schema.migrate.ScriptWriter;
import org.eclipse.aether.RepositorySystem;

/**
 * Writes, without a database, the SQL that takes a database from one revision to another, for
 * {@code psql -v ON_ERROR_STOP=1 -f}: the migrations (or undo scripts) as db-upgrade (or
 * db-downgrade) runs them, with Flyway's history rows, behind Flyway's lock and a guard that
 * stops it, with nothing changed, on a database at another revision.
 */
@Mojo(name = "db-script", threadSafe = true)
public class DbScriptMojo extends AbstractProjectMojo {

    /** The revision the database is at: {@code 5}, or {@code base} for an empty database (a full install). */
    @Parameter(property = "bemserver.from")
    protected String from;

    /** The revision the script reaches: {@code head} (the default), a revision, or {@code base}; below {@code from}, a downgrade. */
    @Parameter(property = "bemserver.revision", defaultValue = "head")
    protected String revision;

    /** The file to write; by default {@code target/bemserver/upgrade-<from>-to-<revision>.sql} ({@code downgrade-...}). */
    @Parameter(property = "bemserver.output")
    protected File output;

    /**
     * Attaches the script to the build as an artifact of type {@code sql} and classifier
     * {@code upgrade-<from>-to-<revision>}, so that {@code mvn deploy} publishes it.
     */
    @Parameter(property = "bemserver.attach", defaultValue = "false")
    protected boolean attach;

    private final MavenProjectHelper projectHelper;

    @Inject
    public DbScriptMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            MavenProjectHelper projectHelper) {
        super(session, execution, repositorySystem);
        this.projectHelper = projectHelper;
    }

    @Override
    protected void run(Reporter reporter) {
        MigrationSettings settings = migrationSettings();
        ScriptWriter writer = ScriptWriter.plan(settings, from, revision);
        Path file = output != null
                ? output.toPath()
                : Path.of(project().getBuild().getDirectory(), "bemserver", writer.defaultFileName());
        ScriptWriter.Written written = writer.write(
                file,
                project().getGroupId() + ":" + project().getArtifactId() + ":"
                        + project().getVersion());
        reporter.info("Wrote " + settings.display(written.file()) + ": "
                + (written.downgrade() ? "downgrade" : "upgrade")
                + " from revision " + Revision.display(written.from()) + " to " + Revision.display(written.to()) + " ("
                + written.revisions().size() + (written.downgrade() ? " undo script" : " migration")
                + (written.revisions().size() == 1 ? "" : "s") + ")");
        reporter.info("Run it with: psql -v ON_ERROR_STOP=1 -f " + settings.display(written.file()));
        if (attach) {
            projectHelper.attachArtifact(
                    project(), "sql", written.classifier(), written.file().toFile());
            reporter.info("Attached as " + project().getArtifactId() + "-"
                    + project().getVersion() + "-" + written.classifier() + ".sql");
        }
    }
}
