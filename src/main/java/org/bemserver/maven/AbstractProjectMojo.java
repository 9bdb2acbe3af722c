package org.bemserver.maven;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.SchemaException;
import org.bemserver.schema.connect.ConnectionSettings;
import org.bemserver.schema.connect.EmbeddedServer;
import org.bemserver.schema.connect.Throwaway;
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
     * Whether {@code ${name}} placeholders are replaced, as Flyway's
     * {@code placeholderReplacement}: {@code false} runs every migration, undo script, repeatable
     * script and model file as written, {@code ${...}} included. A script's {@code .conf} file
     * ({@code placeholderReplacement=true} or {@code false}) wins over it for that script, as in Flyway.
     */
    @Parameter(property = "bemserver.placeholderReplacement", defaultValue = "true")
    protected boolean placeholderReplacement;

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

    /**
     * Where throwaway databases are created ({@code db-check}, {@code db-drift}, autogenerated
     * revisions): {@code embedded} (a PostgreSQL under {@code target/bemserver/throwaway-<major>},
     * one cluster per major, started once per goal run), or the URI of a server whose user may
     * create databases (the {@code CREATEDB} privilege is enough). The databases are dropped at the
     * end of the run.
     */
    @Parameter(property = "bemserver.devUri", defaultValue = "embedded")
    protected String devUri;

    /**
     * Name of an environment variable that holds {@code bemserver.devUri}'s value instead of it:
     * the URI, password included, then stays out of the parameters Maven prints with {@code -X}.
     */
    @Parameter(property = "bemserver.devUriEnv")
    protected String devUriEnv;

    /**
     * Tables whose rows belong to the schema (default rows), as {@code table} (first managed schema)
     * or {@code schema.table}; {@code db-check} and {@code db-drift} compare their rows like the
     * schema, autogenerate writes them. Comma-separated on the command line.
     */
    @Parameter(property = "bemserver.referenceTables")
    protected String[] referenceTables;

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
                String placeholder = name.substring(PLACEHOLDER_PROPERTY.length());
                // names are matched whatever their case: the command line's wins over the map's
                values.keySet().removeIf(given -> given.equalsIgnoreCase(placeholder));
                values.put(placeholder, String.valueOf(value));
            }
        });
        return new MigrationSettings(
                project().getBasedir().toPath(),
                Arrays.asList(locations),
                Arrays.asList(schemas),
                table,
                values,
                mixed,
                placeholderReplacement);
    }

    protected MavenSession session() {
        return session;
    }

    protected MavenProject project() {
        return session.getCurrentProject();
    }

    /**
     * Prints a machine-readable document on the process's standard output, so {@code mvn -q} yields
     * only it. Written to the file descriptor itself: Maven 4 routes {@code System.out} through its
     * logger, which would print {@code [INFO] [stdout] {...}}.
     */
    protected void printDocument(String document) {
        System.out.flush();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        out.println(document);
        out.flush(); // not closed: that would close the process's standard output
    }

    /**
     * Runs {@code finish}, which writes the report files, then prints {@code document} (when not
     * {@code null}) that names them: after the files, so that whoever reads the document finds them
     * in place. It is printed too when {@code finish} fails the build on what it reports (drift, lint
     * errors), but not when a file could not be written.
     */
    protected void finishThenPrint(Runnable finish, Supplier<String> document) {
        try {
            finish.run();
        } catch (MigrationException e) {
            if (document != null) {
                printDocument(document.get());
            }
            throw e;
        }
        if (document != null) {
            printDocument(document.get());
        }
    }

    /**
     * Starts the embedded server whose cluster lives in {@code target/bemserver/<directory>}, with
     * extra server settings.
     */
    protected EmbeddedServer startEmbedded(String directory, Map<String, String> settings) {
        return startEmbedded(
                directory,
                EmbeddedServer.binariesVersion(
                        embeddedVersion == null || embeddedVersion.isBlank()
                                ? ThrowawayMajor.DEFAULT
                                : embeddedVersion),
                settings);
    }

    /** Starts an embedded server of the zonky binaries {@code version}. */
    protected EmbeddedServer startEmbedded(String directory, String version, Map<String, String> settings) {
        MavenPostgresBinaries binaries = new MavenPostgresBinaries(
                repositorySystem, session.getRepositorySession(), project().getRemotePluginRepositories(), version);
        return EmbeddedServer.start(embeddedDirectory(directory), binaries, EmbeddedServer.major(version), settings, 0);
    }

    /**
     * Opens the server of throwaway databases ({@code bemserver.devUri}), prints where it is, and
     * drops its databases after {@code work}. The embedded server runs {@code serverMajor} (the
     * major of the project's database, when known) unless {@code bemserver.embeddedVersion} says
     * otherwise; a throwaway major other than the project's is said in a warning.
     */
    protected void onThrowawayServer(String serverMajor, Reporter reporter, Consumer<Throwaway> work) {
        Duration timeout = Duration.ofSeconds(connectTimeout);
        ConnectionSettings.DevServer dev = ConnectionSettings.devServer(devUri, devUriEnv, System::getenv);
        boolean embedded = dev.isEmbedded();
        ThrowawayMajor major = embedded ? ThrowawayMajor.choose(embeddedVersion, uriEnv, serverMajor) : null;
        if (major != null && major.note() != null) {
            if (major.mismatch()) {
                reporter.warn(major.note());
            } else {
                reporter.info(major.note());
            }
        }
        try (Throwaway throwaway = embedded
                ? Throwaway.embedded(
                        () -> startEmbedded(
                                "throwaway-" + EmbeddedServer.major(major.version()),
                                major.version(),
                                Throwaway.SERVER_SETTINGS),
                        timeout)
                : Throwaway.on(dev.uri(), dev.source(), timeout)) {
            reporter.info("Throwaway databases: " + throwaway.describe());
            if (!embedded && serverMajor != null && !serverMajor.equals(throwaway.serverMajor())) {
                reporter.warn("Throwaway databases run PostgreSQL " + throwaway.serverMajor()
                        + " (" + dev.source() + "), but the server " + uriEnv + " names runs PostgreSQL " + serverMajor
                        + ": results may differ from that server's; point " + dev.source() + " at a server of "
                        + serverMajor);
            }
            work.accept(throwaway);
        }
    }

    /** The tables of {@code bemserver.referenceTables}, blanks left out. */
    protected List<String> referenceTableList() {
        return referenceTables == null
                ? List.of()
                : Arrays.stream(referenceTables)
                        .map(String::strip)
                        .filter(t -> !t.isEmpty())
                        .toList();
    }

    /** The data directory of an embedded cluster: {@code target/bemserver/<directory>}. */
    protected Path embeddedDirectory(String directory) {
        return Path.of(project().getBuild().getDirectory(), "bemserver", directory);
    }
}
