package org.bemserver.maven;

import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.OutputFile;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.baseline.Baseline;
import org.bemserver.schema.check.ProjectBuilds;
import org.eclipse.aether.RepositorySystem;

/**
 * Adopts a database that holds a schema but no history of this plugin (an Alembic-era
 * installation): proves on a throwaway database that it holds the revision {@code alembic_version}
 * names (or {@code bemserver.revision}), then records the scripts up to it in Flyway's history
 * table, so that db-upgrade, db-downgrade and Flyway take over from there. On any difference it
 * writes nothing and fails with the report ({@code target/bemserver/baseline-report.txt}).
 */
@Mojo(name = "db-baseline", threadSafe = true)
public class DbBaselineMojo extends AbstractDbMojo {

    /**
     * The revision the database holds ({@code 0.21}, {@code head}). Unset: the one
     * {@code alembic_version} holds, when it is one of the project's.
     */
    @Parameter(property = "bemserver.revision")
    protected String revision;

    /**
     * Records the revision even when the database differs from it; the differences go to the report
     * and to the history table's comment.
     */
    @Parameter(property = "bemserver.acceptDifferences", defaultValue = "false")
    protected boolean acceptDifferences;

    /** Drops {@code alembic_version} with the recording. Unset: it stays, for the old tooling to read. */
    @Parameter(property = "bemserver.dropAlembicVersion", defaultValue = "false")
    protected boolean dropAlembicVersion;

    /** Skips this goal ({@code bemserver.skip} skips every goal of the plugin). */
    @Parameter(property = "bemserver.baseline.skip", defaultValue = "false")
    protected boolean skipBaseline;

    @Inject
    public DbBaselineMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem, settingsDecrypter);
    }

    @Override
    protected void run(Reporter reporter) {
        Baseline baseline =
                new Baseline(new ProjectBuilds(migrationSettings(), List.of(), referenceTableList()), reporter);
        Path directory = Path.of(project().getBuild().getDirectory(), "bemserver");
        OutputFile report = new OutputFile(
                directory.resolve("baseline-report.txt"), project().getBasedir().toPath(), "baseline report");
        withDatabase(reporter, (database, migrations) -> {
            Baseline.Target target = baseline.target(migrations, revision);
            if (target == null) {
                return;
            }
            onThrowawayServer(
                    database.serverMajor(),
                    reporter,
                    throwaway -> baseline.stamp(
                            migrations,
                            baseline.prove(database, target, throwaway),
                            acceptDifferences,
                            dropAlembicVersion,
                            report));
        });
    }

    @Override
    protected boolean skipGoal() {
        return skipBaseline;
    }
}
