package org.bemserver.schema.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseMessages;

/**
 * The project's migrations against one database: where the database stands and its history, as
 * Flyway Core sees them ({@link FlywayProject}), the upgrade ({@link Upgrade}) and the downgrade
 * ({@link Downgrade}).
 */
public final class Migrations {

    /** The word users may give for the newest revision. */
    public static final String HEAD = "head";

    private final DataSource dataSource;
    private final MigrationSettings settings;
    private final Reporter reporter;
    private final Locking locking;
    private final FlywayProject flyway;
    /** Built on first use: it asks the database for the current user and database name. */
    private Placeholders placeholders;

    public Migrations(DataSource dataSource, MigrationSettings settings, Reporter reporter) {
        this(dataSource, settings, reporter, Locking.DEFAULT);
    }

    public Migrations(DataSource dataSource, MigrationSettings settings, Reporter reporter, Locking locking) {
        this(dataSource, settings, reporter, locking, ScriptScan.onDemand(settings));
    }

    /**
     * The same, with the scripts' first reading started ahead ({@link ScriptScan#ahead}) from the
     * same settings.
     */
    public Migrations(
            DataSource dataSource, MigrationSettings settings, Reporter reporter, Locking locking, ScriptScan scripts) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.settings = Objects.requireNonNull(settings);
        this.reporter = Objects.requireNonNull(reporter);
        this.locking = Objects.requireNonNull(locking);
        this.flyway = new FlywayProject(dataSource, settings, reporter, locking, scripts);
    }

    /** How these migrations wait for locks. */
    public Locking locking() {
        return locking;
    }

    /** The settings these migrations were read with. */
    public MigrationSettings settings() {
        return settings;
    }

    /** Where the database stands: current revision, head, pending revisions and problems. */
    public RevisionStatus status() {
        MigrationFiles.Scan scan = flyway.scan();
        return flyway.call(
                () -> MigrationStates.withProblems(scan.problems(), MigrationStates.status(flyway.info(scan))));
    }

    /** Every revision known to the project or recorded in the database, in Flyway's order. */
    public List<HistoryEntry> history() {
        return flyway.call(() -> MigrationStates.history(flyway.info()));
    }

    /**
     * Applies the pending migrations up to {@code target} ({@code null} or {@code head}: all), one
     * transaction per migration as Flyway does, printing {@code Applying <rev> - <description> (i/n)}
     * before each. A dry run prints {@code Would apply ...} lines instead and returns the SQL.
     */
    public UpgradeResult upgrade(String target, boolean dryRun) {
        return flyway.call(() -> new Upgrade(dataSource, settings, reporter, locking, flyway, this::placeholders)
                .run(target, dryRun, this::requireManaged));
    }

    /** Work for {@link #inLockedTransaction}. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction under the run lock and Flyway's lock, with the search
     * path Flyway gives migrations; commits when it returns, rolls back when it throws.
     */
    public <T> T inLockedTransaction(LockedWork<T> work) {
        try {
            return LockedTransaction.run(
                    dataSource, historyTable(), settings.schemas().get(0), locking, work::run);
        } catch (SQLException e) {
            throw new EnvironmentException(
                    "Database error (" + DatabaseMessages.of(e)
                            + (e.getSQLState() == null ? "" : ", SQL state " + e.getSQLState())
                            + "); the transaction was rolled back",
                    e);
        }
    }

    /**
     * Runs a script of the plugin's own (a model file) in the caller's transaction, then restores
     * what it may have changed in the session (role, search path), as between migrations.
     */
    public void runScript(Connection connection, SqlScript script) throws SqlScript.StatementFailure, SQLException {
        String searchPath = script.changesSession() ? LockedTransaction.searchPath(connection) : null;
        script.run(connection);
        if (searchPath != null) {
            LockedTransaction.restoreSession(connection, searchPath);
        }
    }

    /**
     * The history rows of a database that holds every script of the project (see {@link Stamp}),
     * read from the scripts before any transaction starts.
     */
    public Stamp stampAtHead() {
        return flyway.call(() -> MigrationStates.stampAtHead(flyway.info(), historyTable()));
    }

    /**
     * The history rows a database at {@code revision} (a revision of the project; {@code null}: head)
     * lacks: the versioned scripts up to it and the repeatable ones not applied yet, as an upgrade
     * to it records them ({@code db-baseline}).
     */
    public Stamp stampAt(String revision) {
        return flyway.call(() -> MigrationStates.stampUpTo(
                flyway.info(), historyTable(), revision == null ? null : Version.of(revision), true));
    }

    /** Whether the database is this plugin's to manage, or one to adopt with {@code db-baseline} first. */
    public Adoption adoption() {
        try (Database.Borrowed borrowed = Database.borrow(dataSource)) {
            return adoption(borrowed.connection());
        } catch (SQLException e) {
            throw new EnvironmentException(
                    "Cannot read whether the database has the history table "
                            + historyTable().displayName() + " (" + SqlFailures.describe(e) + ")",
                    e);
        }
    }

    /** The same, read on {@code connection} (in the caller's transaction). */
    public Adoption adoption(Connection connection) throws SQLException {
        return Adoption.read(connection, settings.schemas(), historyTable());
    }

    /** Stops, saying so, when the database is one to adopt with {@code db-baseline} first. */
    void requireManaged() {
        Adoption adoption = adoption();
        if (adoption.unmanaged()) {
            throw new MigrationException(adoption.refusal());
        }
    }

    private HistoryTable historyTable() {
        return new HistoryTable(settings.schemas().get(0), settings.table());
    }

    /**
     * Runs the undo scripts of the applied revisions above {@code target} ({@code 3}, {@code -1},
     * {@code base}), newest first, all in one transaction with the removal of their history rows
     * (one transaction each with {@code mixed}), under Flyway's lock. Every problem is found
     * before anything runs. A dry run prints the plan and returns the SQL.
     */
    public DowngradeResult downgrade(String target, boolean dryRun) {
        DowngradeTarget parsed = DowngradeTarget.parse(target);
        requireManaged();
        // The scripts as Flyway resolves them, read without Flyway: the plan needs the project's
        // scripts and the history rows, which Downgrade reads itself under the lock.
        MigrationFiles.Scan scan = flyway.scan();
        if (!scan.problems().isEmpty()) {
            throw new MigrationException(MigrationStates.problemsMessage(scan.problems()));
        }
        return flyway.call(() -> new Downgrade(dataSource, settings, reporter, scan, placeholders(), locking)
                .run(parsed, dryRun, settings.mixed()));
    }

    /**
     * Replaces the placeholders in the text of a file the plugin runs itself (an undo script, a
     * model file) as Flyway replaces them in migrations.
     */
    public String replacePlaceholders(String fileName, String text) {
        return placeholders().replace(fileName, text);
    }

    /**
     * Whether a script read so far ({@link #replacePlaceholders}) took {@code ${flyway:user}} or
     * {@code ${flyway:database}} from the database's session: its text is that database's, and
     * another database needs the scripts read for it.
     */
    public boolean readsSession() {
        return placeholders != null && placeholders.fromSession();
    }

    /** The user's placeholders and Flyway's built-in ones, for scripts the plugin reads itself; made once. */
    Placeholders placeholders() {
        if (placeholders == null) {
            placeholders = readPlaceholders();
        }
        return placeholders;
    }

    private Placeholders readPlaceholders() {
        return Placeholders.forProject(settings, this::readSessionPlaceholders);
    }

    /** {@code flyway:user} and {@code flyway:database}, read on a connection of their own when a script uses them. */
    private Map<String, String> readSessionPlaceholders() {
        try (Database.Borrowed borrowed = Database.borrow(dataSource);
                Statement statement = borrowed.connection().createStatement();
                ResultSet result = statement.executeQuery("SELECT current_user, current_database()")) {
            result.next();
            return Map.of("flyway:user", result.getString(1), "flyway:database", result.getString(2));
        } catch (SQLException e) {
            throw new EnvironmentException("Cannot read the current user and database: " + DatabaseMessages.of(e), e);
        }
    }
}
