package org.bemserver.maven;

import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.migrate.DowngradeResult;
import org.eclipse.aether.RepositorySystem;

/**
 * Runs the undo scripts ({@code U<rev>__<slug>.sql}) of the applied revisions above a target,
 * newest first, in one transaction with the removal of their history rows, under Flyway's lock.
 * The whole plan is checked before any SQL runs.
 */
@Mojo(name = "db-downgrade", threadSafe = true)
public class DbDowngradeMojo extends AbstractChangeMojo {

    /**
     * Where to go down to (required): a revision ({@code 3}, {@code 2026.11.25.1}), a number of
     * revisions to undo ({@code -1}, {@code -2}), or {@code base} to undo everything.
     */
    @Parameter(property = "bemserver.revision")
    protected String revision;

    /** Skips this goal ({@code bemserver.skip} skips every goal of the plugin). */
    @Parameter(property = "bemserver.downgrade.skip", defaultValue = "false")
    protected boolean skipDowngrade;

    @Inject
    public DbDowngradeMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem, settingsDecrypter);
    }

    @Override
    protected void run(Reporter reporter) {
        withMigrations(reporter, migrations -> {
            DowngradeResult result = migrations.downgrade(revision, dryRun);
            finish(reporter, result.to(), result.dryRunSql());
        });
    }

    @Override
    protected boolean skipGoal() {
        return skipDowngrade;
    }
}
