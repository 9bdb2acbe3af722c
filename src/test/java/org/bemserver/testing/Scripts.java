package org.bemserver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.bemserver.schema.connect.DatabaseUri;
import org.bemserver.schema.migrate.Revision;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.ValidateResult;

/** Writes migration scripts into a test's directory. */
public final class Scripts {

    private final Path directory;

    public Scripts(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Fails unless Flyway itself, on these scripts, finds the history of {@code uri} valid. */
    public void assertFlywayValidates(DatabaseUri uri) {
        ValidateResult validation = Flyway.configure()
                .dataSource(uri.jdbcUrl(), uri.user(), uri.password())
                .locations("filesystem:" + directory)
                .load()
                .validateWithResult();
        if (!validation.validationSuccessful) {
            throw new AssertionError("Flyway's validate fails: " + validation.getAllErrorMessages());
        }
    }

    /** Writes {@code name} with {@code sql}; returns this for chaining. */
    public Scripts write(String name, String sql) {
        try {
            Files.writeString(directory.resolve(name), sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Copies every file of {@code source} (e.g. the bemserver-core corpus) into this directory. */
    public Scripts copyAll(Path source) {
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, directory.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * The versioned scripts up to {@code revision}, in version order, as one plain SQL text: how an
     * Alembic installation was built, without any history of ours.
     */
    public String plainSqlUpTo(String revision) {
        StringBuilder sql = new StringBuilder();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("V"))
                    .sorted((a, b) -> Revision.compare(version(a), version(b)))
                    .toList()) {
                if (Revision.compare(version(file), revision) <= 0) {
                    sql.append(Files.readString(file)).append(";\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sql.toString();
    }

    private static String version(Path file) {
        String name = file.getFileName().toString();
        return name.substring(1, name.indexOf("__"));
    }

    /** Alembic's version table holding {@code rows}, as Alembic creates it. */
    public static String alembicVersion(String... rows) {
        StringBuilder sql = new StringBuilder("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                + "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));\n");
        for (String row : rows) {
            sql.append("INSERT INTO alembic_version (version_num) VALUES ('")
                    .append(row)
                    .append("');\n");
        }
        return sql.toString();
    }

    /** Three revisions of a small schema with their undo scripts. */
    public Scripts threeRevisions() {
        return write(
                        "V1__create_users.sql",
                        "CREATE TABLE users (id serial PRIMARY KEY, name varchar(80) NOT NULL UNIQUE);\n")
                .write("U1__create_users.sql", "DROP TABLE users;\n")
                .write("V2__create_sites.sql", """
                        CREATE TABLE sites (
                            id serial PRIMARY KEY,
                            name varchar(80) NOT NULL
                        );
                        INSERT INTO sites (name) VALUES ('HQ');
                        """)
                .write("U2__create_sites.sql", "DROP TABLE sites;\n")
                .write(
                        "V3__add_site_timezone.sql",
                        "ALTER TABLE sites ADD COLUMN timezone varchar(40) NOT NULL DEFAULT 'UTC';\n")
                .write("U3__add_site_timezone.sql", "ALTER TABLE sites DROP COLUMN timezone;\n");
    }
}
