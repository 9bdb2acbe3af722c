package org.bemserver.schema.revision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.ScriptFiles;
import org.bemserver.schema.migrate.Version;

/**
 * A new revision's pair of files, {@code V<rev>__<slug>.sql} and its undo {@code U<rev>__<slug>.sql},
 * named from the user's message, in the first migration location. Everything is checked before a
 * file is written; an existing file is never overwritten, and a failure leaves no file behind.
 *
 * @param revision the new revision
 * @param message the user's message, one line
 * @param migration the {@code V} file
 * @param undo the {@code U} file
 */
public record NewRevision(String revision, String message, Path migration, Path undo) {

    /** Longest message accepted: it is one line in the file's header, and names the file. */
    static final int MAX_MESSAGE = 200;

    /** Longest slug: file names stay readable, as Alembic's 40-character slugs do. */
    static final int MAX_SLUG = 50;

    /**
     * Plans the files of a revision: checks the message and the revision, and finds the name.
     *
     * @param revId the revision the user asked for, or {@code null} for the next integer after the
     *     highest existing revision
     */
    public static NewRevision plan(MigrationSettings settings, String message, String revId) {
        String slug = slug(message);
        Path directory = firstLocation(settings);
        Map<Version, List<Path>> migrations =
                Files.isDirectory(directory) ? ScriptFiles.byRevision(settings, 'V') : Map.of();
        Map<Version, List<Path>> undos =
                Files.isDirectory(directory) ? ScriptFiles.byRevision(settings, 'U') : Map.of();
        Version head = null;
        for (Version version : migrations.keySet()) {
            head = head == null || version.compareTo(head) > 0 ? version : head;
        }
        String revision;
        if (revId == null || revId.isBlank()) {
            revision = head == null ? "1" : String.valueOf(head.major().add(java.math.BigInteger.ONE));
        } else {
            revision = revId.strip();
            if (!revision.matches("[0-9]+(\\.[0-9]+)*")) {
                throw new ConfigurationException(
                        "bemserver.revId '" + revId + "' is not a revision: use digits separated "
                                + "by dots (5, 5.1, 2026.11.25.1), or leave it out for the next integer");
            }
            Version version = Version.of(revision);
            List<Path> taken = migrations.containsKey(version) ? migrations.get(version) : undos.get(version);
            if (taken != null) {
                throw new ConfigurationException(
                        "Revision " + revision + " already exists (" + settings.display(taken.get(0))
                                + "): choose another bemserver.revId, or leave it out for the next integer");
            }
            if (head != null && version.compareTo(head) < 0) {
                throw new ConfigurationException("Revision " + revision + " is below the head revision " + head.id()
                        + ": databases already at " + head.id()
                        + " would never apply it; choose a revision above "
                        + head.id() + ", or leave bemserver.revId out for the next integer");
            }
        }
        Version version = Version.of(revision);
        if (undos.containsKey(version)) {
            throw new ConfigurationException("Revision " + revision + " already has an undo script ("
                    + settings.display(undos.get(version).get(0))
                    + ") but no migration: delete it, or choose bemserver.revId");
        }
        return new NewRevision(
                revision,
                message.strip(),
                directory.resolve("V" + revision + "__" + slug + ".sql"),
                directory.resolve("U" + revision + "__" + slug + ".sql"));
    }

    /**
     * The file-name slug of a message: accents dropped, lower case, runs of anything but
     * {@code [a-z0-9]} as one {@code _}, at most {@value #MAX_SLUG} characters, cut at a word
     * boundary. Refuses what cannot name a file or fit on one line.
     */
    static String slug(String message) {
        if (message == null || message.isBlank()) {
            throw new ConfigurationException("bemserver.message is required: say what the revision does, e.g. "
                    + "-Dbemserver.message=\"Add site timezone\"");
        }
        if (message.codePoints().anyMatch(Character::isISOControl)) {
            throw new ConfigurationException(
                    "bemserver.message holds a line break or another control character: give one "
                            + "line of text, e.g. -Dbemserver.message=\"Add site timezone\"");
        }
        int length = message.strip().codePointCount(0, message.strip().length());
        if (length > MAX_MESSAGE) {
            throw new ConfigurationException("bemserver.message is " + length + " characters long: keep it to "
                    + MAX_MESSAGE + " (it names the files); put the details in the script as comments");
        }
        String plain = Normalizer.normalize(message, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        if (plain.isEmpty()) {
            throw new ConfigurationException(
                    "bemserver.message '" + message.strip() + "' has no Latin letter or digit to "
                            + "name the files with: say what the revision does, e.g. -Dbemserver.message=\"Add site timezone\"");
        }
        if (plain.length() > MAX_SLUG) {
            int cut = plain.lastIndexOf('_', MAX_SLUG);
            plain = plain.substring(0, cut > MAX_SLUG / 2 ? cut : MAX_SLUG);
        }
        return plain;
    }

    private static Path firstLocation(MigrationSettings settings) {
        String location = settings.locations().get(0).strip();
        if (location.startsWith(MigrationSettings.FILESYSTEM)) {
            location = location.substring(MigrationSettings.FILESYSTEM.length());
        } else if (location.contains(":")) {
            // classpath: and other schemes: MigrationSettings says what to use instead
            settings.directories();
        }
        return settings.baseDirectory().resolve(location).normalize();
    }

    /**
     * Writes both files (creating the location if needed), or neither: each is written in full
     * beside its final name, then linked to it, which fails if a file of that name appeared.
     */
    public void write(String migrationText, String undoText, MigrationSettings settings) {
        try {
            Files.createDirectories(migration.getParent());
        } catch (IOException e) {
            throw new EnvironmentException(
                    "Cannot create the migration location " + settings.display(migration.getParent()) + ": "
                            + e.getMessage(),
                    e);
        }
        place(migration, migrationText, settings);
        try {
            place(undo, undoText, settings);
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(migration);
            } catch (IOException ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        }
    }

    private static void place(Path file, String text, MigrationSettings settings) {
        Path partial = file.resolveSibling("." + file.getFileName() + ".part");
        try {
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            try {
                Files.createLink(file, partial);
            } catch (UnsupportedOperationException e) {
                Files.move(partial, file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ConfigurationException(
                    settings.display(file) + " already exists: nothing was written; choose another "
                            + "bemserver.message or bemserver.revId",
                    e);
        } catch (IOException e) {
            throw new EnvironmentException(
                    "Cannot write " + settings.display(file) + ": " + e.getMessage() + "; nothing was written", e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover .part file is harmless: Flyway reads only .sql files
            }
        }
    }
}
