package org.bemserver.maven;

import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
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
 * reference rows; on differences fails with a report ({@code target/bemserver/drift-report.txt})
 * and writes the proven SQL that returns the database to its revision
 * ({@code target/bemserver/drift-repair.sql}).
 */
@Mojo(name = "db-drift", threadSafe = true)
public class DbDriftMojo extends AbstractReportMojo {

    /**
     * Where the throwaway database of the recorded revision is built: {@code embedded} (a
     * PostgreSQL under {@code target/bemserver/throwaway}) or the URI of a server whose user has
     * {@code CREATEDB}; as for {@code db-check}.
     */
    @Parameter(property = "bemserver.devUri", defaultValue = "embedded")
    protected String devUri;

    /**
     * Tables whose rows belong to the schema (default rows), as {@code table} or
     * {@code schema.table}: their rows in the database must be those of its revision.
     * Comma-separated on the command line.
     */
    @Parameter(property = "bemserver.referenceTables")
    protected String[] referenceTables;

    /**
     * Instead of the repair, writes the drift as a new revision with this message (a
     * {@code V}/{@code U} pair, named and checked as {@code db-revision} does): its migration turns
     * the recorded revision into what the database holds, its undo turns it back, both proven on a
     * throwaway copy. The database must be at head. Unset: the repair is written.
     */
    @Parameter(property = "bemserver.capture")
    protected String capture;

    @Inject
    public DbDriftMojo(MavenSession session, RepositorySystem repositorySystem, SettingsDecrypter settingsDecrypter) {
        super(session, repositorySystem, settingsDecrypter);
    }

    @Override
    protected void run(Reporter reporter) {
        OutputFormat output = outputFormat();
        Drift drift = new Drift(new ProjectBuilds(migrationSettings(), List.of(), tableList(referenceTables)),
                reporter);
        Path base = project().getBasedir().toPath();
        Path directory = Path.of(project().getBuild().getDirectory(), "bemserver");
        OutputFile report = new OutputFile(directory.resolve("drift-report.txt"), base, "drift report");
        OutputFile repair = new OutputFile(directory.resolve("drift-repair.sql"), base, "drift repair");
        RevisionWriter writer = capture == null ? null : RevisionWriter.plan(migrationSettings(), capture, null, reporter);
        withDatabase(reporter, (database, migrations) -> {
            RevisionStatus status = drift.recorded(database, migrations, writer != null);
            onThrowawayServer(devUri, reporter, throwaway -> {
                DriftResult result = drift.run(database, status, throwaway);
                if (output == OutputFormat.JSON) {
                    printDocument(result.toJson(report.shown(), writer == null ? repair.shown() : null));
                }
                if (writer == null) {
                    Drift.finish(result, report, repair, reporter);
                } else {
                    Drift.capture(result, writer, report, reporter);
                }
            });
        });
    }

    @Override
    protected boolean readsOnly() {
        return true;
    }

    @Override
    protected String goal() {
        return "db-drift";
    }
}
