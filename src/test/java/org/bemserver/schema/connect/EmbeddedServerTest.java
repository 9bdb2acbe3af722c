package org.bemserver.schema.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bemserver.schema.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedServerTest {

    /** Binaries that must not be asked for: the refusal comes before any unpacking or start. */
    private static final PgBinaryResolver NO_BINARIES = (system, architecture) -> {
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

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }
}
