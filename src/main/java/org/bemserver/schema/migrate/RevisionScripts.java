package org.bemserver.schema.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;

/**
 * The project's revisions as pairs of parsed scripts, run without Flyway and without history, for
 * databases nobody keeps ({@code db-check}'s stairway): each script as a migration runs, in one
 * transaction (unless it holds statements that cannot run in one) with Flyway's search path.
 */
public final class RevisionScripts {

    /**
     * One revision.
     *
     * @param undo its undo script, or {@code null} when it has none
     * @param undoFile the undo script's file, or {@code null}
     * @param migrationText the migration's text as it runs (placeholders replaced), for the comments
     *     around its statements
     */
    public record Pair(Revision revision, SqlScript migration, SqlScript undo, Path undoFile, String migrationText) {}

    private RevisionScripts() {}

    /** Every versioned revision, oldest first, its scripts read with placeholders replaced. */
    public static List<Pair> read(Migrations migrations) {
        return read(migrations, true);
    }

    /**
     * The same; {@code parseUndos} false: the undo scripts are not parsed ({@link Pair#undo()} is
     * {@code null}, {@link Pair#undoFile()} still named), for a reader of the migrations alone.
     */
    public static List<Pair> read(Migrations migrations, boolean parseUndos) {
        MigrationSettings settings = migrations.settings();
        MigrationFiles.Scan scan = MigrationFiles.scan(settings);
        if (!scan.problems().isEmpty()) {
            throw new MigrationException(MigrationStates.problemsMessage(scan.problems()));
        }
        Map<Version, List<Path>> undos = ScriptFiles.byRevision(settings, 'U');
        List<Pair> pairs = new ArrayList<>();
        List<ProjectScript> versioned = new ArrayList<>(scan.versioned());
        versioned.sort(Comparator.comparing(ProjectScript::version));
        for (ProjectScript script : versioned) {
            List<Path> undo = undos.getOrDefault(script.version(), List.of());
            Path undoFile = undo.size() == 1 ? undo.get(0) : null;
            ScriptConfig config = ScriptConfig.of(script.file(), settings);
            String text = read(migrations, script.file(), config);
            pairs.add(new Pair(
                    new Revision(script.id(), script.description(), script.script()),
                    SqlScript.parse(script.file().getFileName().toString(), text)
                            .configured(config),
                    undoFile == null || !parseUndos ? null : parse(migrations, undoFile),
                    undoFile,
                    text));
        }
        return pairs;
    }

    /** An undo script: its transaction is db-downgrade's, whatever its {@code .conf} file says. */
    private static SqlScript parse(Migrations migrations, Path file) {
        ScriptConfig config = ScriptConfig.of(file, migrations.settings());
        return SqlScript.parse(file.getFileName().toString(), read(migrations, file, config));
    }

    /** The text of {@code file}, its placeholders replaced unless its {@code .conf} file says otherwise. */
    private static String read(Migrations migrations, Path file, ScriptConfig config) {
        String name = file.getFileName().toString();
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return config.placeholderReplacement() ? migrations.replacePlaceholders(name, text) : text;
        } catch (IOException e) {
            throw new EnvironmentException(
                    "Cannot read " + migrations.settings().display(file) + ": " + e.getMessage(), e);
        }
    }

    /** A connection whose search path starts with the first managed schema, as Flyway's does. */
    public static Connection connect(DataSource dataSource, MigrationSettings settings) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            LockedTransaction.useDefaultSchema(connection, settings.schemas().get(0));
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Runs one script and commits it, or rolls it back and throws. */
    public static void run(Connection connection, SqlScript script) throws SqlScript.StatementFailure, SQLException {
        boolean transactional = script.runsInTransaction();
        String searchPath = script.changesSession() ? LockedTransaction.searchPath(connection) : null;
        connection.setAutoCommit(!transactional);
        try {
            script.run(connection);
            if (transactional) {
                connection.commit();
                connection.setAutoCommit(true);
            }
        } catch (SqlScript.StatementFailure failure) {
            LockedTransaction.rollbackQuietly(connection);
            throw failure;
        }
        if (searchPath != null) {
            LockedTransaction.restoreSession(connection, searchPath);
        }
    }
}
