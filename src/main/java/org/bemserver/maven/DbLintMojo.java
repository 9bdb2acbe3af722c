package org.bemserver.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.ConnectionException;
import org.bemserver.schema.OutputFile;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.connect.ThrowawayMajor;
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

    /**
     * {@code text} prints the report at INFO; {@code json} also prints one JSON object on standard
     * output, so that {@code mvn -q} gives the document alone.
     */
    @Parameter(property = "bemserver.format", defaultValue = "text")
    protected String format;

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
        Path directory = Path.of(project().getBuild().getDirectory(), "bemserver");
        Path base = project().getBasedir().toPath();
        OutputFile report = new OutputFile(directory.resolve("lint-report.txt"), base, "lint report");
        OutputFile junit = new OutputFile(directory.resolve("lint-report.xml"), base, "JUnit XML lint report");
        boolean json = OutputFormat.parse(format) == OutputFormat.JSON;
        String uri = System.getenv(uriEnv);
        if (uri == null || uri.isBlank()) {
            onThrowawayServer(
                    null,
                    reporter,
                    throwaway ->
                            finish(lint.run(throwaway, since, null, Map.of()), fail, report, junit, json, reporter));
            return;
        }
        if (since != null && !since.isBlank()) {
            // the revisions above since, on the live server's major, with its tables' sizes
            Live live = live(reporter);
            onThrowawayServer(
                    live.major(),
                    reporter,
                    throwaway -> finish(
                            lint.run(throwaway, since, null, live.sizes()), fail, report, junit, json, reporter));
            return;
        }
        withDatabase(reporter, (database, migrations) -> {
            RevisionStatus status = migrations.status();
            if (status.pendingRevisions().isEmpty()) {
                reporter.info("Nothing to lint: no revision is pending on the database (at revision "
                        + Revision.display(status.current()) + "); -Dbemserver.since=<revision> lints revisions "
                        + "already applied");
                finish(new LintResult(List.of()), fail, report, junit, json, reporter);
                return;
            }
            Map<String, String> sizes =
                    Lint.liveSizes(database, migrationSettings().schemas());
            onThrowawayServer(
                    database.serverMajor(),
                    reporter,
                    throwaway -> finish(
                            lint.run(throwaway, null, status.pendingRevisions(), sizes),
                            fail,
                            report,
                            junit,
                            json,
                            reporter));
        });
    }

    /** What db-lint reads of the live database: its PostgreSQL major ({@code null}: unknown), its tables' sizes. */
    private record Live(String major, Map<String, String> sizes) {}

    /**
     * The live database's major and the sizes of its tables, read in read-only transactions; with
     * {@code bemserver.since} the revisions to lint do not depend on it, so a database that cannot
     * be reached is said in a warning and the lint goes on without them.
     */
    private Live live(Reporter reporter) {
        List<Live> read = new ArrayList<>();
        try {
            withDatabase(
                    reporter,
                    (database, migrations) -> read.add(new Live(
                            database.serverMajor(),
                            Lint.liveSizes(database, migrationSettings().schemas()))));
        } catch (ConnectionException e) {
            reporter.warn("Cannot read the database " + uriEnv + " names (" + e.getMessage()
                    + "): the revisions above bemserver.since are linted without its tables' sizes, on "
                    + "bemserver.embeddedVersion or PostgreSQL " + ThrowawayMajor.DEFAULT);
            return new Live(null, Map.of());
        }
        return read.get(0);
    }

    private void finish(
            LintResult result,
            LintResult.FailOn fail,
            OutputFile report,
            OutputFile junit,
            boolean json,
            Reporter reporter) {
        if (json) {
            printDocument(result.toJson(report.shown()));
        }
        result.finish(fail, report, junit, reporter);
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
