package org.bemserver.maven;

import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.schema.migrate.UpgradeResult;
import org.eclipse.aether.RepositorySystem;

/**
 * Applies the pending migrations up to a revision (default: head), one transaction per migration.
 * Bound by default to {@code pre-integration-test}, as {@code flyway:migrate} is.
 */
@Mojo(name = "db-upgrade", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class DbUpgradeMojo extends AbstractChangeMojo {

    /** The revision to upgrade to ({@code 3}, {@code 2026.11.25.1}); {@code head} or unset: the newest. */
    @Parameter(property = "bemserver.revision", defaultValue = Migrations.HEAD)
    protected String revision;

    /** Skips this goal ({@code bemserver.skip} skips every goal of the plugin). */
    @Parameter(property = "bemserver.upgrade.skip", defaultValue = "false")
    protected boolean skipUpgrade;

    @Inject
    public DbUpgradeMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem, settingsDecrypter);
    }

    @Override
    protected void run(Reporter reporter) {
        withMigrations(reporter, migrations -> {
            UpgradeResult result = migrations.upgrade(revision, dryRun);
            finish(reporter, result.to(), result.dryRunSql());
        });
    }

    @Override
    protected boolean skipGoal() {
        return skipUpgrade;
    }
}
