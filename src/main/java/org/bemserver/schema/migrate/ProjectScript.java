package org.bemserver.schema.migrate;

import java.nio.file.Path;
import org.flywaydb.core.api.MigrationVersion;

/**
 * A versioned {@code V} script of the project, as Flyway resolved it.
 *
 * @param version its version
 * @param description the description Flyway derives from the slug
 * @param script the file name
 * @param checksum Flyway's checksum of it
 * @param file where it is
 */
record ProjectScript(MigrationVersion version, String description, String script, Integer checksum, Path file) {

    String id() {
        return version.getVersion();
    }
}
