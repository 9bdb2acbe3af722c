package org.bemserver.maven;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.OutputFile;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.lint.Lint;
import org.bemserver.schema.lint.LintResult;
import org.bemserver.schema.migrate.Revision;
import org.bemserver.schema.migrate.RevisionStatus;
import org.eclipse.aether.RepositorySystem;

/**
 * Measures on a throwaway database what each new revision does to a live database: runs it
 * statement by statement as db-upgrade runs it and reads, after each statement, the locks it took,
 * whether it rewrote or scanned a table that existed before the revision, and what it changed that
 * the running application version uses; fails on the dangerous ones with the safe alternative
 * ({@code target/bemserver/lint-report.txt}). The project's database, when the environment names
 * one, is only read: which revisions are pending, and the size of the tables of the findings.
 */
@Mojo(name = "db-lint", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class DbLintMojo extends AbstractDbMojo {

    /**
     * Lints the revisions above this one ({@code base}: all). Unset: the revisions pending on the
     * database the environment names, or else the newest revision.
     */
    @Parameter(property = "bemserver.since")
    protected String since;

    /** When the build fails: {@code error}, {@code warning} (errors or warnings), {@code never}. */
    @Parameter(property = "bemserver.failOn", defaultValue = "error")
    protected String failOn;

    /** Skips this goal ({@code bemserver.skip} skips every goal of the plugin). */
    @Parameter(property = "bemserver.lint.skip", defaultValue = "false")
    protected boolean skipLint;

    @Inject
    public DbLintMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem, settingsDecrypter);
    }

    @Override
    protected void run(Reporter reporter) {
        LintResult.FailOn fail = LintResult.FailOn.parse(failOn);
        ProjectBuilds builds = new ProjectBuilds(migrationSettings(), List.of(), List.of());
        Lint lint = new Lint(builds, lockTimeout, reporter);
        OutputFile report = new OutputFile(
                Path.of(project().getBuild().getDirectory(), "bemserver", "lint-report.txt"),
                project().getBasedir().toPath(),
                "lint report");
        String uri = System.getenv(uriEnv);
        if (uri == null || uri.isBlank() || (since != null && !since.isBlank())) {
            onThrowawayServer(
                    null,
                    reporter,
                    throwaway -> finish(lint.run(throwaway, since, null, Map.of()), fail, report, reporter));
            return;
        }
        withDatabase(reporter, (database, migrations) -> {
            RevisionStatus status = migrations.status();
            if (status.pendingRevisions().isEmpty()) {
                reporter.info("Nothing to lint: no revision is pending on the database (at revision "
                        + Revision.display(status.current()) + "); -Dbemserver.since=<revision> lints revisions "
                        + "already applied");
                report.writeLines(List.of("Lint: no revision to lint"));
                return;
            }
            Map<String, String> sizes =
                    Lint.liveSizes(database, migrationSettings().schemas());
            onThrowawayServer(
                    database.serverMajor(),
                    reporter,
                    throwaway -> finish(
                            lint.run(throwaway, null, status.pendingRevisions(), sizes), fail, report, reporter));
        });
    }

    private static void finish(LintResult result, LintResult.FailOn fail, OutputFile report, Reporter reporter) {
        if (result.revisions().isEmpty()) {
            reporter.info("Nothing to lint: the project has no revision to lint");
        }
        result.finish(fail, report, reporter);
    }

    @Override
    protected boolean readsOnly() {
        return true;
    }

    @Override
    protected boolean skipGoal() {
        return skipLint;
    }
}
