package org.bemserver.maven;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
import org.bemserver.schema.connect.EmbeddedServer;
import org.bemserver.schema.migrate.Locking;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.eclipse.aether.RepositorySystem;

/**
 * The parameters every goal shares (connection, migrations) and the one place where engine
 * failures become Maven failures.
 */
public abstract class AbstractDbMojo extends AbstractMojo {

    /**
     * Name of the environment variable that holds the database URI, e.g.
     * {@code postgresql+psycopg://user:password@localhost:5432/bemserver}, or {@code embedded} for a
     * persistent embedded PostgreSQL under {@code target/bemserver/pgdata}.
     */
    @Parameter(property = "bemserver.uriEnv", defaultValue = "SQLALCHEMY_DATABASE_URI")
    protected String uriEnv;

    /**
     * Id of a {@code <server>} in {@code settings.xml} whose username and password (encrypted
     * passwords included) replace those of the URI. Unset: the URI's credentials are used.
     */
    @Parameter(property = "bemserver.serverId")
    protected String serverId;

    /** Seconds connecting to the database may take before the goal gives up. */
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
     * Seconds to wait for the migration lock that another run (a build, Flyway) holds on the
     * history table; past it the goal stops, changes nothing, and names the session that holds it.
     */
    @Parameter(property = "bemserver.lockWait", defaultValue = "120")
    protected int lockWait;

    /**
     * PostgreSQL's {@code lock_timeout} for the statements of the scripts, such as {@code 5s}: a
     * statement that waits longer for a table lock (DDL queued behind a long query) fails instead
     * of blocking the table. Unset: the server's setting.
     */
    @Parameter(property = "bemserver.lockTimeout")
    protected String lockTimeout;

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

    private static final String PLACEHOLDER_PROPERTY = "bemserver.placeholders.";

    private final MavenSession session;
    private final RepositorySystem repositorySystem;
    private final SettingsDecrypter settingsDecrypter;

    protected AbstractDbMojo(MavenSession session, RepositorySystem repositorySystem, SettingsDecrypter settingsDecrypter) {
        this.session = session;
        this.repositorySystem = repositorySystem;
        this.settingsDecrypter = settingsDecrypter;
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

    /**
     * Opens the database named by the environment, prints where it is, and hands the project's
     * migrations on it to {@code work}; closes the database (and stops an embedded server) after.
     */
    protected void withMigrations(Reporter reporter, Consumer<Migrations> work) {
        ConnectionSettings settings = ConnectionSettings.resolve(
                uriEnv, System::getenv, serverCredentials(), Duration.ofSeconds(connectTimeout));
        MigrationSettings migrationSettings = migrationSettings();
        Locking locking = new Locking(Duration.ofSeconds(lockWait), lockTimeout);
        beforeConnect(settings, migrationSettings);
        try (Database database = Database.open(settings, this::startEmbedded)) {
            reporter.info("Database: " + database.describe());
            work.accept(new Migrations(database.dataSource(), migrationSettings, reporter, locking));
        }
    }

    /** Checks that need no connection, made before one is opened; nothing by default. */
    protected void beforeConnect(ConnectionSettings connection, MigrationSettings migrations) {}

    private MigrationSettings migrationSettings() {
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

    private EmbeddedServer startEmbedded() {
        Path dataDirectory = Path.of(project().getBuild().getDirectory(), "bemserver", "pgdata");
        MavenPostgresBinaries binaries = new MavenPostgresBinaries(
                repositorySystem,
                session.getRepositorySession(),
                project().getRemotePluginRepositories(),
                EmbeddedServer.binariesVersion(embeddedVersion));
        return EmbeddedServer.start(dataDirectory, binaries, Map.of(), 0);
    }

    private Credentials serverCredentials() {
        if (serverId == null || serverId.isBlank()) {
            return null;
        }
        Server server = session.getSettings().getServer(serverId);
        if (server == null) {
            throw new ConfigurationException("bemserver.serverId names '" + serverId + "', but settings.xml has no "
                    + "<server> with that id: add one (with <username> and <password>) or remove bemserver.serverId");
        }
        SettingsDecryptionResult result = settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new ConfigurationException("Cannot decrypt the password of settings.xml <server> '" + serverId
                        + "': " + problem.getMessage() + " (check ~/.m2/settings-security.xml)");
            }
        }
        Server decrypted = result.getServer();
        return new Credentials(serverId, decrypted.getUsername(), decrypted.getPassword());
    }
}
