package org.bemserver.maven;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.SchemaException;
import org.bemserver.schema.connect.EmbeddedServer;
import org.bemserver.schema.connect.ThrowawayMajor;
import org.bemserver.schema.migrate.MigrationSettings;
import org.eclipse.aether.RepositorySystem;

/**
 * The parameters every goal shares (the project's migrations, skipping, embedded PostgreSQL) and
 * the one place where engine failures become Maven failures.
 */
public abstract class AbstractProjectMojo extends AbstractMojo {

    /** Seconds connecting to a database (also the server of {@code bemserver.devUri}) may take before the goal gives up. */
    @Parameter(property = "bemserver.connectTimeout", defaultValue = "10")
    protected int connectTimeout;

    /**
     * Directories of the migration scripts ({@code V<rev>__<slug>.sql}, their undo
     * {@code U<rev>__<slug>.sql}, repeatable {@code R__<slug>.sql}), relative to the project,
     * optionally prefixed {@code filesystem:}; comma-separated on the command line.
     */
    @Parameter(property = "bemserver.locations", defaultValue = "filesystem:src/main/resources/db/migration")
    protected String[] locations;

    /**
     * The schemas the migrations manage; the first one holds the history table. Comma-separated on
     * the command line.
     */
    @Parameter(property = "bemserver.schemas", defaultValue = "public")
    protected String[] schemas;

    /**
     * The history table; Flyway's own name by default, so Flyway's tools read the same state.
     */
    @Parameter(property = "bemserver.table", defaultValue = "flyway_schema_history")
    protected String table;

    /**
     * Replacements for {@code ${name}} placeholders in scripts. From the command line, give each as
     * {@code -Dbemserver.placeholders.name=value}; those win over this map.
     */
    @Parameter
    protected Map<String, String> placeholders;

    /**
     * Lets a script hold statements PostgreSQL cannot run in a transaction (such as
     * {@code CREATE INDEX CONCURRENTLY}): that script then runs without one, as with Flyway's
     * {@code mixed}. For {@code db-downgrade} it also gives each undo script its own transaction
     * instead of one for the whole run, so a failure leaves the revisions above it undone.
     */
    @Parameter(property = "bemserver.mixed", defaultValue = "false")
    protected boolean mixed;

    /**
     * The model directory: its {@code .sql} files are applied in file-name order, relative to the
     * project. Read by {@code db-setup}, {@code db-check} and {@code db-revision}.
     */
    @Parameter(property = "bemserver.model", defaultValue = "src/main/resources/db/model")
    protected String model;

    /**
     * Skips every goal of the plugin; {@code bemserver.<goal>.skip} (such as
     * {@code bemserver.upgrade.skip}) skips one.
     */
    @Parameter(property = "bemserver.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * PostgreSQL major of embedded databases ({@code 15} to {@code 18}), or a full zonky binaries
     * version such as {@code 17.7.0}. The binaries of the current platform are resolved from the
     * Maven repositories on first use. Unset: 17 for the {@code embedded} database; for throwaway
     * databases, the major of the server the project's database URI names (17 when none).
     */
    @Parameter(property = "bemserver.embeddedVersion")
    protected String embeddedVersion;

    /**
     * Name of the environment variable that holds the database URI, e.g.
     * {@code postgresql+psycopg://user:password@localhost:5432/bemserver}, or {@code embedded} for a
     * persistent embedded PostgreSQL under {@code target/bemserver/pgdata}.
     */
    @Parameter(property = "bemserver.uriEnv", defaultValue = "SQLALCHEMY_DATABASE_URI")
    protected String uriEnv;

    private static final String PLACEHOLDER_PROPERTY = "bemserver.placeholders.";

    private final MavenSession session;
    private final MojoExecution execution;
    private final RepositorySystem repositorySystem;

    protected AbstractProjectMojo(MavenSession session, MojoExecution execution, RepositorySystem repositorySystem) {
        this.session = session;
        this.execution = execution;
        this.repositorySystem = repositorySystem;
    }

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        // The goal's name comes from the descriptor Maven runs (written once, in @Mojo): the
        // annotation itself has CLASS retention and cannot be read at run time.
        String goal = execution.getGoal();
        if (skip || skipGoal()) {
            String property = skip ? "bemserver.skip" : goalSkipProperty(goal);
            getLog().info("Skipping " + goal + ": " + property + " is true");
            return;
        }
        try {
            run(new MavenReporter(getLog()));
        } catch (SchemaException e) {
            if (e.isProjectProblem()) {
                throw new MojoFailureException(e.getMessage(), e);
            }
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    /** The goal's work, in engine terms. */
    protected abstract void run(Reporter reporter);

    /**
     * Whether this goal alone is skipped, by its parameter of property {@link #goalSkipProperty}; no
     * such parameter by default.
     */
    protected boolean skipGoal() {
        return false;
    }

    /** The property that skips one goal: {@code db-upgrade} -> {@code bemserver.upgrade.skip}. */
    static String goalSkipProperty(String goal) {
        return "bemserver." + goal.replaceFirst("^db-", "") + ".skip";
    }

    protected MigrationSettings migrationSettings() {
        Map<String, String> values = new LinkedHashMap<>();
        if (placeholders != null) {
            values.putAll(placeholders);
        }
        session.getUserProperties().forEach((key, value) -> {
            String name = String.valueOf(key);
            if (name.startsWith(PLACEHOLDER_PROPERTY) && name.length() > PLACEHOLDER_PROPERTY.length()) {
                values.put(name.substring(PLACEHOLDER_PROPERTY.length()), String.valueOf(value));
            }
        });
        return new MigrationSettings(
                project().getBasedir().toPath(), Arrays.asList(locations), Arrays.asList(schemas), table, values, mixed);
    }

    protected MavenSession session() {
        return session;
    }

    protected MavenProject project() {
        return session.getCurrentProject();
    }


    /** Prints a machine-readable document on standard output, so {@code mvn -q} yields only it. */
    protected void printDocument(String document) {
        System.out.println(document);
        System.out.flush();
    }

    /**
     * Starts the embedded server whose cluster lives in {@code target/bemserver/<directory>}, with
     * extra server settings.
     */
    protected EmbeddedServer startEmbedded(String directory, Map<String, String> settings) {
        return startEmbedded(directory, EmbeddedServer.binariesVersion(
                embeddedVersion == null || embeddedVersion.isBlank() ? ThrowawayMajor.DEFAULT : embeddedVersion), settings);
    }

    /** Starts an embedded server of the zonky binaries {@code version}. */
    protected EmbeddedServer startEmbedded(String directory, String version, Map<String, String> settings) {
        MavenPostgresBinaries binaries = new MavenPostgresBinaries(
                repositorySystem, session.getRepositorySession(), project().getRemotePluginRepositories(), version);
        return EmbeddedServer.start(embeddedDirectory(directory), binaries, EmbeddedServer.major(version), settings, 0);
    }

    /** The data directory of an embedded cluster: {@code target/bemserver/<directory>}. */
    protected Path embeddedDirectory(String directory) {
        return Path.of(project().getBuild().getDirectory(), "bemserver", directory);
    }

}
