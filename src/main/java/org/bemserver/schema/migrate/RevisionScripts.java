package org.bemserver.schema.migrate;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;
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
        Placeholders placeholders = migrations.placeholders();
        List<Pair> pairs = new ArrayList<>();
        List<ProjectScript> versioned = new ArrayList<>(scan.versioned());
        versioned.sort(Comparator.comparing(ProjectScript::version));
        for (ProjectScript script : versioned) {
            List<MigrationFiles.UndoScript> undo = scan.undo().getOrDefault(script.version(), List.of());
            MigrationFiles.UndoScript undoScript = undo.size() == 1 ? undo.get(0) : null;
            ScriptConfig config = script.config();
            String name = script.file().getFileName().toString();
            // the text as it runs, for the comments around its statements
            String text = config.replace(placeholders, name, script.text());
            pairs.add(new Pair(
                    new Revision(script.id(), script.description(), script.script()),
                    SqlScript.parse(name, text).configured(config),
                    undoScript == null || !parseUndos ? null : undoScript.parse(placeholders),
                    undoScript == null ? null : undoScript.file(),
                    text));
        }
        return pairs;
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
