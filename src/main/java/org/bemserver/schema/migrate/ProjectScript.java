package org.bemserver.schema.migrate;

import java.nio.file.Path;

/**
 * A versioned {@code V} script of the project, as Flyway resolved it.
 *
 * @param version its version
 * @param description the description Flyway derives from the slug
 * @param script the file name
 * @param checksum Flyway's checksum of it
 * @param file where it is
 * @param text its text as read, placeholders not replaced: the text its checksum is of
 */
record ProjectScript(Version version, String description, String script, Integer checksum, Path file, String text) {

    String id() {
        return version.id();
    }
}
