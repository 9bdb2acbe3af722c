package org.bemserver.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.migrate.SqlScript;

/**
 * Runs a {@code db-script} file on a database as its owner would, for the engine tests and the
 * ITs alike: with the real {@code psql -v ON_ERROR_STOP=1 -f} when psql is on the PATH (CI
 * installs it, see {@code .ci/run}), else over JDBC statement by statement on one connection,
 * psql's meta-commands ({@code \set ...}) left out. Either way the test runs: nothing is skipped
 * for want of psql.
 */
public final class SqlFile {

    /** The exit code psql gives when a statement fails under {@code ON_ERROR_STOP}. */
    public static final int STATEMENT_FAILED = 3;

    /**
     * How a run ended.
     *
     * @param exitCode psql's exit code, or 0 / {@link #STATEMENT_FAILED} over JDBC
     * @param output what psql printed, or over JDBC the error of the failing statement
     * @param runner {@code psql} or {@code JDBC}
     */
    public record Run(int exitCode, String output, String runner) {}

    private SqlFile() {}

    /** Whether {@code psql} is on the PATH. */
    public static boolean psqlOnPath() {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, "psql")));
    }

    /** Runs {@code file} with psql when it is on the PATH, else over JDBC. */
    public static Run run(DatabaseUri on, Path file) {
        if (psqlOnPath()) {
            return withPsql(on, file);
        }
        try {
            overJdbc(on, file);
            return new Run(0, "", "JDBC");
        } catch (SQLException e) {
            return new Run(STATEMENT_FAILED, e.getMessage(), "JDBC");
        }
    }

    /** Runs {@code file} with the real psql, as the owner of {@code on}, from its first statement to its end or first error. */
    public static Run withPsql(DatabaseUri on, Path file) {
        ProcessBuilder builder = new ProcessBuilder(
                        "psql",
                        "-X",
                        "-q",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-f",
                        file.toString(),
                        "host=" + on.host() + " port=" + on.port() + " dbname=" + on.database() + " user=" + on.user())
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", on.password());
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Run(process.waitFor(), output, "psql");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while psql ran " + file, e);
        }
    }

    /**
     * Runs {@code file} over JDBC, statement by statement in autocommit on one connection as
     * psql runs it (the data of a {@code COPY ... FROM stdin} through pgjdbc's copy API); throws the first statement's failure, the statements before it having run.
     */
    public static void overJdbc(DatabaseUri on, Path file) throws SQLException {
        try (Connection connection = connect(on);
                Statement statement = connection.createStatement()) {
            for (SqlScript.Statement each : statements(file)) {
                each.runOn(statement);
            }
        }
    }

    /**
     * A session on {@code on} as its owner, in autocommit as psql's, e.g. for an IT that runs a
     * file's statements one by one (a Groovy script's own class loader does not see the driver).
     */
    public static Connection connect(DatabaseUri on) throws SQLException {
        return DriverManager.getConnection(on.jdbcUrl(), on.jdbcProperties());
    }

    /** The statements of {@code file} as psql sends them, its meta-commands left out (their lines kept blank). */
    public static List<SqlScript.Statement> statements(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8)
                    .lines()
                    .map(line -> line.startsWith("\\") && !line.strip().equals("\\.") ? "" : line)
                    .collect(Collectors.joining("\n"));
            return SqlScript.parse(file.getFileName().toString(), text).statements();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
