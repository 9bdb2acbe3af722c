package org.bemserver.maven;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.Background;
import org.bemserver.schema.ConnectionException;
import org.bemserver.schema.OutputFile;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.Throwaway;
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
        Consumer<LintResult> done = result -> finish(result, fail, report, junit, json, reporter);
        String uri = System.getenv(uriEnv);
        if (uri == null || uri.isBlank()) {
            onThrowawayServer(null, reporter, throwaway -> done.accept(lint.run(throwaway, since, null, Map.of())));
            return;
        }
        if (since != null && !since.isBlank()) {
            // the revisions above since, on the live server's major, with its tables' sizes
            lintOn(live(reporter), reporter, (throwaway, sizes) -> lint.run(throwaway, since, null, sizes), done);
            return;
        }
        withDatabase(reporter, (database, migrations) -> {
            RevisionStatus status = migrations.status();
            if (status.pendingRevisions().isEmpty()) {
                reporter.info("Nothing to lint: no revision is pending on the database (at revision "
                        + Revision.display(status.current()) + "); -Dbemserver.since=<revision> lints revisions "
                        + "already applied");
                done.accept(new LintResult(List.of()));
                return;
            }
            lintOn(
                    reading(database, false),
                    reporter,
                    (throwaway, sizes) -> lint.run(throwaway, null, status.pendingRevisions(), sizes),
                    done);
        });
    }

    /**
     * Lints on a throwaway server of the live database's major, the live tables' sizes read
     * meanwhile, and ends the live reading after, however the lint went.
     */
    private void lintOn(
            Live live,
            Reporter reporter,
            BiFunction<Throwaway, Map<String, String>, LintResult> lint,
            Consumer<LintResult> done) {
        try {
            onThrowawayServer(live.major(), reporter, throwaway -> done.accept(lint.apply(throwaway, live.sizes())));
        } finally {
            live.end();
        }
    }

    /**
     * What db-lint reads of the live database: its PostgreSQL major ({@code null}: unknown), its
     * tables' sizes, read on another thread while the throwaway server starts ({@code reading}
     * {@code null}: none), and the database when db-lint opened it ({@code owned}), closed at the end.
     */
    private record Live(String major, Background<Map<String, String>> reading, Database owned) {

        /** The sizes of the live tables: waits for their reading. */
        Map<String, String> sizes() {
            return reading == null ? Map.of() : reading.join();
        }

        /** Waits for the reading to end (the lint may have failed before it asked for the sizes), then closes what db-lint opened. */
        void end() {
            if (reading != null) {
                reading.cancel();
            }
            if (owned != null) {
                owned.close();
            }
        }
    }

    /**
     * The live database's major, and the reading of the sizes of its tables started, in read-only
     * transactions; with {@code bemserver.since} the revisions to lint do not depend on it, so a
     * database that cannot be reached is said in a warning and the lint goes on without them.
     */
    private Live live(Reporter reporter) {
        Database database;
        try {
            database = openDatabase(reporter);
        } catch (ConnectionException e) {
            reporter.warn("Cannot read the database " + uriEnv + " names (" + e.getMessage()
                    + "): the revisions above bemserver.since are linted without its tables' sizes, on "
                    + "bemserver.embeddedVersion or PostgreSQL " + ThrowawayMajor.DEFAULT);
            return new Live(null, null, null);
        }
        return reading(database, true);
    }

    /**
     * The major of {@code database}, and the sizes of its tables read on another thread while the
     * throwaway server starts; {@code owned}: db-lint opened the database, and closes it at the end.
     */
    private Live reading(Database database, boolean owned) {
        List<String> schemas = migrationSettings().schemas();
        return new Live(
                database.serverMajor(),
                Background.start(
                        "bemserver-live",
                        "the sizes of the live tables to be read",
                        () -> Lint.liveSizes(database, schemas)),
                owned ? database : null);
    }

    private void finish(
            LintResult result,
            LintResult.FailOn fail,
            OutputFile report,
            OutputFile junit,
            boolean json,
            Reporter reporter) {
        finishThenPrint(
                () -> result.finish(fail, report, junit, reporter), json ? () -> result.toJson(report.shown()) : null);
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
