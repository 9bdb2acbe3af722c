package org.bemserver.schema.migrate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bemserver.schema.ConfigurationException;

/**
 * What Flyway needs to know about the project's migrations.
 *
 * @param baseDirectory the project directory; relative locations are resolved against it, not
 *     against the directory Maven was started from
 * @param locations where the {@code V}/{@code U}/{@code R} scripts are ({@code filesystem:} paths)
 * @param schemas the managed schemas; the first holds the history table
 * @param table the history table (Flyway's {@code flyway_schema_history} by default)
 * @param placeholders {@code ${name}} replacements in scripts
 * @param mixed whether a script may hold statements PostgreSQL cannot run in a transaction (such a
 *     script then runs without one), and whether undo scripts run one transaction each instead of
 *     all in one
 * @param placeholderReplacement whether {@code ${name}} placeholders are replaced (Flyway's
 *     {@code placeholderReplacement}): {@code false} leaves every script and model file as written,
 *     but a script whose {@code .conf} file turns replacement on
 */
public record MigrationSettings(
        Path baseDirectory,
        List<String> locations,
        List<String> schemas,
        String table,
        Map<String, String> placeholders,
        boolean mixed,
        boolean placeholderReplacement) {

    public static final String FILESYSTEM = "filesystem:";

    public MigrationSettings {
        locations = List.copyOf(locations);
        schemas = schemas.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        placeholders = Map.copyOf(new LinkedHashMap<>(placeholders));
        for (String name : placeholders.keySet()) {
            if (name.toLowerCase(Locale.ROOT).startsWith("flyway:")) {
                throw new ConfigurationException("Invalid placeholder " + name
                        + ": the 'flyway:' prefix is reserved for Flyway's own placeholders, as Flyway says");
            }
        }
        if (locations.isEmpty()) {
            throw new ConfigurationException("bemserver.locations is empty: name at least one directory of migrations");
        }
        if (schemas.isEmpty()) {
            throw new ConfigurationException("bemserver.schemas is empty: name at least one schema (default public)");
        }
        if (table == null || table.isBlank()) {
            throw new ConfigurationException(
                    "bemserver.table is empty: name the history table (default flyway_schema_history)");
        }
    }

    public MigrationSettings(
            Path baseDirectory,
            List<String> locations,
            List<String> schemas,
            String table,
            Map<String, String> placeholders) {
        this(baseDirectory, locations, schemas, table, placeholders, false);
    }

    public MigrationSettings(
            Path baseDirectory,
            List<String> locations,
            List<String> schemas,
            String table,
            Map<String, String> placeholders,
            boolean mixed) {
        this(baseDirectory, locations, schemas, table, placeholders, mixed, true);
    }

    /** The same settings with {@code mixed} set. */
    public MigrationSettings withMixed(boolean value) {
        return new MigrationSettings(
                baseDirectory, locations, schemas, table, placeholders, value, placeholderReplacement);
    }

    /** The locations as absolute directories; each must exist. */
    public List<Path> directories() {
        List<Path> directories = new ArrayList<>();
        for (String location : locations) {
            String path = location.strip();
            if (path.startsWith("classpath:")) {
                throw new ConfigurationException("bemserver.locations: " + path + " is not supported; the plugin reads "
                        + "scripts from the project's files: use filesystem:src/main/resources/"
                        + path.substring("classpath:".length()).replaceFirst("^/", ""));
            }
            if (path.startsWith(FILESYSTEM)) {
                path = path.substring(FILESYSTEM.length());
            }
            Path directory = baseDirectory.resolve(path).normalize();
            if (!Files.isDirectory(directory)) {
                throw new ConfigurationException(
                        "Migration location " + display(directory) + " does not exist: create it, "
                                + "or set bemserver.locations to the directory of your V<rev>__<slug>.sql scripts");
            }
            directories.add(directory);
        }
        return directories;
    }

    /** A path as users know it: relative to the project when inside it. */
    public String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path base = baseDirectory.toAbsolutePath().normalize();
        return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
    }
}
