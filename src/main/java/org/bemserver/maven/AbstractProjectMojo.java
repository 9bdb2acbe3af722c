package org.bemserver.maven;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.SchemaException;
import org.bemserver.schema.connect.ConnectionSettings;
import org.bemserver.schema.connect.Credentials;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.connect.EmbeddedServer;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.migrate.Locking;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
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


    /** Skips the goal. */
    @Parameter(property = "bemserver.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * PostgreSQL major of embedded databases ({@code 15} to {@code 18}), or a full zonky binaries
     * version such as {@code 17.7.0}. The binaries of the current platform are resolved from the
     * Maven repositories on first use.
     */
    @Parameter(property = "bemserver.embeddedVersion", defaultValue = "17")
    protected String embeddedVersion;

    /** Server settings that make a throwaway cluster fast: nothing on it has to survive a crash. */
    private static final Map<String, String> THROWAWAY_SETTINGS = Map.of(
            "fsync", "off",
            "synchronous_commit", "off",
            "full_page_writes", "off");

    private static final String PLACEHOLDER_PROPERTY = "bemserver.placeholders.";

    private final MavenSession session;
    private final RepositorySystem repositorySystem;

    protected AbstractProjectMojo(MavenSession session, RepositorySystem repositorySystem) {
        this.session = session;
        this.repositorySystem = repositorySystem;
    }

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping " + goal() + ": bemserver.skip is true");
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

    /** The goal's name, for messages. */
    protected abstract String goal();


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

    /** A revision for output: {@code <base>} when there is none. */
    protected static String revision(String id) {
        return id == null ? "<base>" : id;
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
        Path dataDirectory = Path.of(project().getBuild().getDirectory(), "bemserver", directory);
        MavenPostgresBinaries binaries = new MavenPostgresBinaries(
                repositorySystem,
                session.getRepositorySession(),
                project().getRemotePluginRepositories(),
                EmbeddedServer.binariesVersion(embeddedVersion));
        return EmbeddedServer.start(dataDirectory, binaries, settings, 0);
    }

    /**
     * Opens the server of throwaway databases named by {@code devUri} ({@code embedded} or empty:
     * the embedded one), prints where it is, and drops its databases after {@code work}.
     */
    protected void onThrowawayServer(String devUri, Reporter reporter, Consumer<Throwaway> work) {
        Duration timeout = Duration.ofSeconds(connectTimeout);
        String where = devUri == null ? "" : devUri.strip();
        try (Throwaway throwaway = where.isEmpty() || where.equals(ConnectionSettings.EMBEDDED)
                ? Throwaway.embedded(() -> startEmbedded("throwaway", THROWAWAY_SETTINGS), timeout)
                : Throwaway.on(DatabaseUri.parse(where, "bemserver.devUri"), timeout)) {
            reporter.info("Throwaway databases: " + throwaway.describe());
            work.accept(throwaway);
        }
    }

    /** The tables of a {@code referenceTables} parameter, blanks left out. */
    protected static List<String> tableList(String[] tables) {
        return tables == null ? List.of() : Arrays.stream(tables).map(String::strip).filter(t -> !t.isEmpty()).toList();
    }
}
