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
 * @param config its settings, from its {@code .conf} file as Flyway finds it, read by the scan
 */
record ProjectScript(
        Version version,
        String description,
        String script,
        Integer checksum,
        Path file,
        String text,
        ScriptConfig config) {

    String id() {
        return version.id();
    }

    /** The script parsed as db-upgrade runs it, and Flyway ({@link ScriptConfig#parse}). */
    SqlScript parse(Placeholders placeholders) {
        String name = file.getFileName().toString();
        return config.parse(name, name, text, placeholders, true);
    }
}
