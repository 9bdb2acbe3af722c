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
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.drift.Drift;
import org.bemserver.schema.drift.DriftResult;
import org.bemserver.schema.migrate.RevisionStatus;
import org.bemserver.schema.revision.RevisionWriter;
import org.eclipse.aether.RepositorySystem;

/**
 * Proves, read-only, that the database holds exactly what its recorded revision says: builds the
 * migrations up to that revision on a throwaway database and compares the two schemas and
 * reference rows; on differences fails with a report ({@code target/bemserver/drift-report.txt},
 * and as JUnit XML {@code target/bemserver/drift-report.xml}) and writes the proven SQL that
 * returns the database to its revision ({@code target/bemserver/drift-repair.sql}).
 */
@Mojo(name = "db-drift", threadSafe = true)
public class DbDriftMojo extends AbstractReportMojo {

    /**
     * Instead of the repair, writes the drift as a new revision with this message (a
     * {@code V}/{@code U} pair, named and checked as {@code db-revision} does): its migration turns
     * the recorded revision into what the database holds, its undo turns it back, both proven on a
     * throwaway copy. The database must be at head. Unset: the repair is written.
     */
    @Parameter(property = "bemserver.capture")
    protected String capture;

    /** Skips this goal ({@code bemserver.skip} skips every goal of the plugin). */
    @Parameter(property = "bemserver.drift.skip", defaultValue = "false")
    protected boolean skipDrift;

    @Inject
    public DbDriftMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem, settingsDecrypter);
    }

    @Override
    protected void run(Reporter reporter) {
        OutputFormat output = outputFormat();
        Drift drift = new Drift(new ProjectBuilds(migrationSettings(), List.of(), referenceTableList()), reporter);
        Path base = project().getBasedir().toPath();
        Path directory = Path.of(project().getBuild().getDirectory(), "bemserver");
        OutputFile report = new OutputFile(directory.resolve("drift-report.txt"), base, "drift report");
        OutputFile junit = new OutputFile(directory.resolve("drift-report.xml"), base, "JUnit XML drift report");
        OutputFile repair = new OutputFile(directory.resolve("drift-repair.sql"), base, "drift repair");
        RevisionWriter writer =
                capture == null ? null : RevisionWriter.plan(migrationSettings(), capture, null, reporter);
        withDatabase(reporter, (database, migrations) -> {
            RevisionStatus status = drift.recorded(database, migrations, writer != null);
            onThrowawayServer(database.serverMajor(), reporter, throwaway -> {
                DriftResult result = drift.run(database, status, throwaway);
                finishThenPrint(
                        () -> {
                            if (writer == null) {
                                Drift.finish(result, report, junit, repair, reporter);
                            } else {
                                Drift.capture(result, writer, report, reporter);
                            }
                        },
                        output == OutputFormat.JSON
                                ? () -> result.toJson(report.shown(), writer == null ? repair.shown() : null)
                                : null);
            });
        });
    }

    @Override
    protected boolean readsOnly() {
        return true;
    }

    @Override
    protected boolean skipGoal() {
        return skipDrift;
    }
}
