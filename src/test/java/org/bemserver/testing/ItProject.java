package org.bemserver.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;

/**
 * One integration-test project (a folder of {@code src/it}) and its own database, for the
 * {@code setup.groovy} and {@code verify.groovy} scripts. All projects share one embedded server
 * on the port the build reserved; each gets a database named after its folder
 * ({@code db-upgrade-empty} -> {@code db_upgrade_empty}).
 *
 * <p>With the system property {@code it.server.port} (the build's {@code it-server} profile,
 * see docs/testing.md) they use the server already listening on localhost at that port instead,
 * reached as the given role, which needs LOGIN and CREATEDB only.
 */
public final class ItProject {

    private final File basedir;
    private final String user;
    private final String password;
    private final TestServer server;

    private ItProject(File basedir, Object port, String user, String password) {
        this.basedir = basedir;
        this.user = user;
        this.password = password;
        Path directory =
                basedir.toPath().toAbsolutePath().resolve("../../it-postgres").normalize();
        int number = Integer.parseInt(String.valueOf(port));
        this.server = System.getProperty("it.server.port") != null
                ? TestServer.existing(number, user, password)
                : TestServer.onPort(directory, number, user, password);
    }

    /** The project of a script; its variables come from the invoker's scriptVariables. */
    public static ItProject of(File basedir, Object port, String user, String password) {
        return new ItProject(basedir, port, user, password);
    }

    /**
     * For {@code setup.groovy}: creates the project's empty database and, unless {@code fixture}
     * is null, copies the scripts of {@code src/it/fixtures/<fixture>} into its
     * {@code src/main/resources/db/migration} and the fixture's {@code model} folder, if any, into
     * {@code src/main/resources/db/model}. Returns nothing: a pre-build script that returns a value
     * fails the invoker.
     */
    public void prepare(File fixtures, String fixture) {
        server.createDatabaseNamed(database());
        if (fixture != null) {
            Path source = fixtures.toPath().resolve(fixture);
            copy(source, migrations());
            if (Files.isDirectory(source.resolve("model"))) {
                copy(source.resolve("model"), basedir.toPath().resolve("src/main/resources/db/model"));
            }
        }
    }

    /** For {@code setup.groovy}: creates another empty database for this project, {@code <database>_<suffix>}. */
    public void prepareAnother(String suffix) {
        server.createDatabaseNamed(database() + "_" + suffix);
    }

    /** The catalog picture of the public schema of another database of this project. */
    public List<String> schemaOf(String suffix) {
        return SchemaFingerprint.of(server, database() + "_" + suffix, "public");
    }

    public String database() {
        return basedir.getName().replace('-', '_');
    }

    public Path migrations() {
        return basedir.toPath().resolve("src/main/resources/db/migration");
    }

    /** The build's log; fails if the test password, as is or percent-encoded, appears anywhere in it. */
    public String log() {
        try {
            String log = Files.readString(basedir.toPath().resolve("build.log"));
            if (log.contains(password) || log.contains(URLEncoder.encode(password, StandardCharsets.UTF_8))) {
                throw new AssertionError("build.log of " + basedir.getName() + " shows the database password");
            }
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JUnit XML report at {@code path} in the project, read back and its counts checked. */
    public JunitXml junitReport(String path) {
        return JunitXml.read(basedir.toPath().resolve(path));
    }

    /** The tables of the public schema, sorted. */
    public List<String> tables() {
        return server.tables(database(), "public");
    }

    public String value(String sql) {
        return server.value(database(), sql);
    }

    public List<String> column(String sql) {
        return server.column(database(), sql);
    }

    /** The catalog picture of the public schema (see {@link SchemaFingerprint}). */
    public List<String> schema() {
        return SchemaFingerprint.of(server, database(), "public");
    }

    /** Versions recorded as applied in Flyway's history, in order. */
    public List<String> appliedRevisions() {
        return column("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL "
                + "ORDER BY installed_rank");
    }

    /** The server's databases whose names are {@code LIKE pattern}. */
    /**
     * Whether every throwaway database ({@code bemserver_tmp_*}) is gone: waits until none is left,
     * since ITs run two at a time on one server and another IT's build may hold its own for a while;
     * a database this build left behind is never dropped, and the wait fails.
     */
    public boolean noThrowawayLeft() {
        Eventually.await(
                "no throwaway database left on the IT server (" + databases("bemserver_tmp_%") + ")",
                Duration.ofMinutes(5),
                () -> databases("bemserver_tmp_%").isEmpty());
        return true;
    }

    public List<String> databases(String pattern) {
        return server.column(
                "postgres",
                "SELECT datname FROM pg_database WHERE datname LIKE '" + pattern.replace("'", "''") + "' ORDER BY 1");
    }

    /**
     * For {@code setup.groovy}: upgrades the project's database to {@code revision} ({@code null}:
     * head) with its migrations, as {@code db-upgrade} does, so that a script can then change it by
     * hand between goals.
     */
    public void upgrade(String revision) {
        MigrationSettings settings = new MigrationSettings(
                basedir.toPath(),
                List.of(migrations().toString()),
                List.of("public"),
                "flyway_schema_history",
                Map.of());
        try (Database database = Database.open(ownerUri(), "setup.groovy", Duration.ofSeconds(10))) {
            new Migrations(database.dataSource(), settings, Reporter.silent()).upgrade(revision, false);
        }
    }

    /**
     * For {@code setup.groovy}: builds the project's database as an Alembic installation holds it,
     * the scripts up to {@code revision} run as plain SQL by the owner and, unless
     * {@code alembicRows} is {@code null}, Alembic's version table holding them; no history of ours.
     */
    public void alembicInstallation(String revision, String... alembicRows) {
        execute("SET ROLE " + user + ";\n" + new Scripts(migrations()).plainSqlUpTo(revision)
                + (alembicRows == null ? "" : Scripts.alembicVersion(alembicRows)));
    }

    /**
     * Runs a {@code db-script} file on this project's database as its owner would, through
     * {@link SqlFile#run}: with the real {@code psql -v ON_ERROR_STOP=1} when psql is on the PATH,
     * else over JDBC. Prints what it said; the run's {@code exitCode()} is 3 when a statement failed.
     */
    public SqlFile.Run runSqlFile(File file) {
        SqlFile.Run run = SqlFile.run(ownerUri(), file.toPath());
        System.out.println(run.runner() + ": " + run.output());
        return run;
    }

    /** The URI this project's database is reached with, as its owner. */
    public DatabaseUri ownerUri() {
        return server.ownerUri(database());
    }

    /** The server's major version ({@code 17}), as the plugin prints it after "PostgreSQL ". */
    public String serverMajor() {
        return value("SELECT current_setting('server_version_num')::int / 10000");
    }

    public void execute(String sql) {
        server.execute(database(), sql);
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
