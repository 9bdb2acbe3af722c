package org.bemserver.maven;

import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.connect.ConnectionSettings;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.migrate.Locking;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.schema.migrate.ScriptScan;
import org.eclipse.aether.RepositorySystem;

/**
 * The goals that work on the database the environment names: its connection parameters and how
 * runs wait for locks.
 */
public abstract class AbstractDbMojo extends AbstractProjectMojo {

    private final SettingsDecrypter settingsDecrypter;

    /**
     * Id of a {@code <server>} in {@code settings.xml} whose username and password (encrypted
     * passwords included) replace those of the URI. Unset: the URI's credentials are used.
     */
    @Parameter(property = "bemserver.serverId")
    protected String serverId;

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

    protected AbstractDbMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem);
        this.settingsDecrypter = settingsDecrypter;
    }

    /**
     * Opens the database named by the environment, prints where it is, and hands the project's
     * migrations on it to {@code work}; closes the database (and stops an embedded server) after.
     */
    protected void withMigrations(Reporter reporter, Consumer<Migrations> work) {
        withDatabase(reporter, (database, migrations) -> work.accept(migrations));
    }

    /** The same, handing {@code work} the database itself too. */
    protected void withDatabase(Reporter reporter, BiConsumer<Database, Migrations> work) {
        ConnectionSettings settings = connectionSettings();
        MigrationSettings migrationSettings = migrationSettings();
        Locking locking = new Locking(Duration.ofSeconds(lockWait), lockTimeout);
        beforeConnect(settings, migrationSettings);
        // the scripts are read on another core while the connection is made
        ScriptScan scripts = ScriptScan.ahead(migrationSettings);
        try (Database database = open(settings, reporter)) {
            work.accept(database, new Migrations(database.dataSource(), migrationSettings, reporter, locking, scripts));
        }
    }

    /**
     * Opens the database named by the environment and prints where it is, for a goal that reads it
     * without its migrations (no script is read); the caller closes it.
     */
    protected Database openDatabase(Reporter reporter) {
        return open(connectionSettings(), reporter);
    }

    private ConnectionSettings connectionSettings() {
        ConnectionSettings resolved = ConnectionSettings.resolve(
                uriEnv,
                System::getenv,
                ServerCredentials.of(session(), settingsDecrypter, serverId),
                Duration.ofSeconds(connectTimeout));
        return readsOnly() ? resolved.withReadOnlyTransactions() : resolved;
    }

    private Database open(ConnectionSettings settings, Reporter reporter) {
        Database database = Database.open(settings, () -> startEmbedded("pgdata", Map.of()));
        reporter.info("Database: " + database.describe());
        return database;
    }

    /** Whether the goal only reads the database: its transactions are then read-only, enforced by the server. */
    protected boolean readsOnly() {
        return false;
    }

    /** Checks that need no connection, made before one is opened; nothing by default. */
    protected void beforeConnect(ConnectionSettings connection, MigrationSettings migrations) {}
}
