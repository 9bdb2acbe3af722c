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
 * @param conf its {@code .conf} file, as Flyway finds it, or {@code null}
 */
record ProjectScript(
        Version version, String description, String script, Integer checksum, Path file, String text, Path conf) {

    String id() {
        return version.id();
    }

    /** Its settings: its {@code .conf} file's, placeholders replaced ({@link ScriptConfig#of}). */
    ScriptConfig config(Placeholders placeholders, MigrationSettings settings) {
        return ScriptConfig.of(conf, placeholders, settings);
    }

    /** The script parsed as db-upgrade runs it, and Flyway ({@link ScriptConfig#parse}). */
    SqlScript parse(Placeholders placeholders, MigrationSettings settings) {
        String name = file.getFileName().toString();
        return config(placeholders, settings).parse(name, name, text, placeholders, true);
    }
}
