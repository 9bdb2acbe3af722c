package org.bemserver.maven;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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
            try {
                onThrowawayServer(
                        live.major(),
                        reporter,
                        throwaway -> finish(
                                lint.run(throwaway, since, null, live.sizes()), fail, report, junit, json, reporter));
            } finally {
                live.end();
            }
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
            Live live = reading(database, false);
            try {
                onThrowawayServer(
                        live.major(),
                        reporter,
                        throwaway -> finish(
                                lint.run(throwaway, null, status.pendingRevisions(), live.sizes()),
                                fail,
                                report,
                                junit,
                                json,
                                reporter));
            } finally {
                live.end();
            }
        });
    }

    /**
     * What db-lint reads of the live database: its PostgreSQL major ({@code null}: unknown), and its
     * tables' sizes, read on another thread while the throwaway server starts ({@code reading}
     * {@code null}: none); {@code closing}, when the database is db-lint's to close, closes it once,
     * after the sizes are read or at {@link #end()}, whichever comes first.
     */
    private record Live(String major, Background<Map<String, String>> reading, Runnable closing) {

        /** The sizes of the live tables: waits for their reading. */
        Map<String, String> sizes() {
            return reading == null ? Map.of() : reading.join();
        }

        /**
         * Waits for the reading to end if the lint did not ask for the sizes (it failed first), and
         * closes the database if the reading did not (it never started).
         */
        void end() {
            if (reading != null) {
                reading.cancel();
            }
            closing.run();
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
            return new Live(null, null, () -> {});
        }
        return reading(database, true);
    }

    /**
     * The major of {@code database}, and the sizes of its tables read on another thread, while the
     * throwaway server starts; {@code owned}: the database is closed once they are read (a failure
     * to close it is added to the reading's own).
     */
    private Live reading(Database database, boolean owned) {
        List<String> schemas = migrationSettings().schemas();
        AtomicBoolean closed = new AtomicBoolean(!owned);
        Runnable closing = () -> {
            if (closed.compareAndSet(false, true)) {
                database.close();
            }
        };
        Background<Map<String, String>> reading =
                Background.start("bemserver-live", "the sizes of the live tables to be read", () -> {
                    Map<String, String> sizes;
                    try {
                        sizes = Lint.liveSizes(database, schemas);
                    } catch (RuntimeException | Error e) {
                        try {
                            closing.run();
                        } catch (RuntimeException | Error closeFailure) {
                            e.addSuppressed(closeFailure);
                        }
                        throw e;
                    }
                    closing.run();
                    return sizes;
                });
        return new Live(database.serverMajor(), reading, closing);
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
