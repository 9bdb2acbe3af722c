package org.bemserver.maven;

import java.nio.file.Path;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.check.Check;
import org.bemserver.schema.check.CheckResult;
import org.eclipse.aether.RepositorySystem;

/**
 * Proves that the migrations and the model build the same schema and default rows, and that every
 * undo script reverts its revision, on two throwaway databases; fails the build with a readable
 * report otherwise (also written to {@code target/bemserver/check-report.txt}, and as JUnit XML to
 * {@code target/bemserver/check-report.xml}).
 */
@Mojo(name = "db-check", threadSafe = true)
public class DbCheckMojo extends AbstractThrowawayMojo {

    /**
     * Upgrades one revision at a time, undoes it and upgrades it again, and checks that each undo
     * leaves the schema as it was before its upgrade.
     */
    @Parameter(property = "bemserver.stairway", defaultValue = "true")
    protected boolean stairway;

    /** Fails the check when the columns of a table come in another order (reported either way). */
    @Parameter(property = "bemserver.strictColumnOrder", defaultValue = "false")
    protected boolean strictColumnOrder;

    /** Skips this goal ({@code bemserver.skip} skips every goal of the plugin). */
    @Parameter(property = "bemserver.check.skip", defaultValue = "false")
    protected boolean skipCheck;

    @Inject
    public DbCheckMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem, settingsDecrypter);
    }

    @Override
    protected void run(Reporter reporter) {
        Check check = new Check(projectBuilds(), reporter);
        Path directory = Path.of(project().getBuild().getDirectory(), "bemserver");
        withThrowaway(reporter, throwaway -> {
            CheckResult result = check.run(throwaway, stairway);
            Check.finish(
                    result,
                    strictColumnOrder,
                    directory.resolve("check-report.txt"),
                    directory.resolve("check-report.xml"),
                    project().getBasedir().toPath(),
                    reporter);
        });
    }

    @Override
    protected boolean skipGoal() {
        return skipCheck;
    }
}
