package org.bemserver.schema.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.SchemaException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.exception.FlywaySqlException;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.postgresql.util.PSQLException;

/**
 * The project's migrations against one database, through Flyway Core: where the database stands,
 * its history, the upgrade and the downgrade. Flyway is configured here and nowhere else.
 */
public final class Migrations {

    /** The word users may give for the newest revision. */
    public static final String HEAD = "head";

    private final DataSource dataSource;
    private final MigrationSettings settings;
    private final Reporter reporter;
    private final Locking locking;
    /** Built on first use: it asks the database for the current user and database name. */
    private Placeholders placeholders;

    public Migrations(DataSource dataSource, MigrationSettings settings, Reporter reporter) {
        this(dataSource, settings, reporter, Locking.DEFAULT);
    }

    public Migrations(DataSource dataSource, MigrationSettings settings, Reporter reporter, Locking locking) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.settings = Objects.requireNonNull(settings);
        this.reporter = Objects.requireNonNull(reporter);
        this.locking = Objects.requireNonNull(locking);
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
        List<String> fileProblems = MigrationFiles.problems(settings);
        return withFlyway(() -> {
            MigrationInfo[] all;
            try {
                all = configure().load().info().all();
            } catch (FlywayException e) {
                if (fileProblems.isEmpty()) {
                    throw e;
                }
                // Flyway cannot read such files at all: the list of what is wrong is the answer
                throw new MigrationException(problemsMessage(fileProblems), e);
            }
            return withProblems(fileProblems, statusOf(all));
        });
    }

    /** The status, with the problems of the script files themselves first. */
    private static RevisionStatus withProblems(List<String> fileProblems, RevisionStatus status) {
        if (fileProblems.isEmpty()) {
            return status;
        }
        List<String> problems = new ArrayList<>(fileProblems);
        problems.addAll(status.problems());
        return new RevisionStatus(status.current(), status.head(), status.known(), status.pending(), problems);
    }

    /** Every revision known to the project or recorded in the database, in Flyway's order. */
    public List<HistoryEntry> history() {
        return withFlyway(() -> {
            List<HistoryEntry> entries = new ArrayList<>();
            for (MigrationInfo migration : configure().load().info().all()) {
                if (migration.getType() == CoreMigrationType.SCHEMA) {
                    continue;
                }
                entries.add(new HistoryEntry(
                        migration.getVersion() == null ? null : migration.getVersion().getVersion(),
                        migration.getDescription(),
                        migration.getScript(),
                        stateName(migration.getState()),
                        migration.getInstalledOn() == null ? null : migration.getInstalledOn().toInstant(),
                        migration.getInstalledBy(),
                        migration.getExecutionTime()));
            }
            return entries;
        });
    }

    /**
     * Applies the pending migrations up to {@code target} ({@code null} or {@code head}: all), one
     * transaction per migration as Flyway does, printing {@code Applying <rev> - <description> (i/n)}
     * before each. A dry run prints {@code Would apply ...} lines instead and returns the SQL.
     */
    public UpgradeResult upgrade(String target, boolean dryRun) {
        return withFlyway(() -> {
            if (dryRun) {
                return upgradeUnlocked(target, null);
            }
            try (MigrationLock run = MigrationLock.acquireRun(dataSource, historyTable(), locking)) {
                return upgradeUnlocked(target, run);
            }
        });
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
            return LockedTransaction.run(dataSource, historyTable(), settings.schemas().get(0), locking, work::run);
        } catch (SQLException e) {
            throw new EnvironmentException("Database error (" + databaseMessage(e)
                    + (e.getSQLState() == null ? "" : ", SQL state " + e.getSQLState()) + "); the transaction was rolled back", e);
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
        return withFlyway(() -> {
            // one entry per script: an applied repeatable script can show in several rows (outdated, superseded)
            Map<String, Stamp.Entry> entries = new LinkedHashMap<>();
            MigrationVersion head = null;
            for (MigrationInfo migration : configure().load().info().all()) {
                if (migration.getState().isResolved() && !migration.getType().isBaseline()
                        && migration.getType() != CoreMigrationType.SCHEMA && migration.getResolvedChecksum() != null) {
                    MigrationVersion version = migration.getVersion();
                    entries.putIfAbsent(migration.getScript(), new Stamp.Entry(version == null ? null : version.getVersion(),
                            migration.getResolvedDescription() != null ? migration.getResolvedDescription()
                                    : migration.getDescription(),
                            migration.getScript(), migration.getResolvedChecksum()));
                    if (version != null && (head == null || version.compareTo(head) > 0)) {
                        head = version;
                    }
                }
            }
            return new Stamp(historyTable(), new ArrayList<>(entries.values()), head == null ? null : head.getVersion());
        });
    }

    private HistoryTable historyTable() {
        return new HistoryTable(settings.schemas().get(0), settings.table());
    }

    /** The upgrade, under {@code run} (the run lock), or a dry run when {@code run} is {@code null}. */
    private UpgradeResult upgradeUnlocked(String target, MigrationLock run) {
        boolean dryRun = run == null;
        List<String> fileProblems = MigrationFiles.problems(settings);
        if (!fileProblems.isEmpty()) {
            throw new MigrationException(problemsMessage(fileProblems));
        }
        Flyway flyway = configure().load();
        MigrationInfo[] all = flyway.info().all();
        RevisionStatus before = statusOf(all);
        if (!before.problems().isEmpty()) {
            throw new MigrationException(problemsMessage(before.problems()));
        }
        if (before.isAhead()) {
            reporter.info("Nothing to apply: the database's revision " + before.current()
                    + " is not in this project (its head is " + (before.head() == null ? "<base>" : before.head())
                    + ")");
            return new UpgradeResult(before.current(), before.current(), List.of(), dryRun ? "" : null);
        }
        MigrationVersion targetVersion = targetVersion(target, before);
        List<MigrationInfo> plan = plan(all, targetVersion);
        if (plan.isEmpty()) {
            if (targetVersion != null && before.current() != null
                    && MigrationVersion.fromVersion(before.current()).compareTo(targetVersion) > 0) {
                throw new ConfigurationException("The database is at revision " + before.current()
                        + ", above the target " + targetVersion.getVersion()
                        + ": db-upgrade only goes up; run db-downgrade -Dbemserver.revision="
                        + targetVersion.getVersion() + " to go down");
            }
            reporter.info("Nothing to apply: the database is already at revision " + display(before.current())
                    + (before.current() != null && before.current().equals(before.head()) ? " (head)" : ""));
            return new UpgradeResult(before.current(), before.current(), List.of(), dryRun ? "" : null);
        }
        List<Revision> revisions = plan.stream().map(Migrations::revisionOf).toList();
        if (dryRun) {
            String after = plan.stream().map(MigrationInfo::getVersion).filter(Objects::nonNull)
                    .reduce((a, b) -> b).map(MigrationVersion::getVersion).orElse(before.current());
            return new UpgradeResult(before.current(), after, revisions, dryRunSql(plan));
        }
        Upgrade upgrade = Upgrade.of(plan, settings, placeholders());
        if (upgrade == null) {
            flywayMigrate(targetVersion, new Progress(plan.size()));
            return new UpgradeResult(before.current(), statusOf(configure().load().info().all()).current(), revisions, null);
        }
        return new UpgradeResult(before.current(), applyDirectly(upgrade, before.current(), run), revisions, null);
    }

    /** Flyway's own migrate, up to {@code target} ({@code null}: all). */
    private void flywayMigrate(MigrationVersion target, Progress progress) {
        try {
            configure().callbacks(progress).target(target == null ? MigrationVersion.LATEST : target).load().migrate();
        } catch (FlywayMigrateException e) {
            throw failedMigration(e);
        }
    }

    /**
     * Runs the plan with {@link Upgrade}, holding Flyway's lock for the rest of the run. When the
     * history table does not exist yet, it is created with the first revision if the schemas are
     * there and empty; otherwise Flyway applies the first revision itself, so that the schemas it
     * creates and its refusal of a non-empty schema are Flyway's own.
     */
    private String applyDirectly(Upgrade upgrade, String current, MigrationLock run) {
        List<Upgrade.Step> steps = upgrade.steps();
        Progress progress = new Progress(steps.size());
        int first = 0;
        String reached = current;
        boolean createHistory = false;
        try (Connection connection = dataSource.getConnection()) {
            run.holdFlywayLock(historyTable());
            if (!historyTable().exists(connection)) {
                createHistory = Upgrade.canStartFromScratch(connection, settings.schemas());
                if (!createHistory) {
                    run.releaseFlywayLock(historyTable());
                    flywayMigrate(steps.get(0).migration().getVersion(), progress);
                    run.holdFlywayLock(historyTable());
                    first = 1;
                    reached = steps.get(0).migration().getVersion().getVersion();
                }
            }
            return upgrade.run(connection, first, reached, historyTable(), createHistory, settings.schemas().get(0), locking,
                    new Upgrade.Listener() {
                        @Override
                        public void applying(Upgrade.Step step) {
                            progress.applying(step.revision());
                        }

                        @Override
                        public RuntimeException failed(Upgrade.Step step, SqlScript.StatementFailure failure, String stays) {
                            return failedMigration(settings.display(step.file()), failure.where(), failure.sqlException(),
                                    stays);
                        }
                    });
        } catch (SQLException e) {
            throw new EnvironmentException("Cannot read " + historyTable().displayName() + " (" + SqlFailures.describe(e)
                    + "); nothing was changed: check the connection and run db-upgrade again", e);
        }
    }

    /**
     * Runs the undo scripts of the applied revisions above {@code target} ({@code 3}, {@code -1},
     * {@code base}), newest first, all in one transaction with the removal of their history rows
     * (one transaction each with {@code mixed}), under Flyway's lock. Every problem is found
     * before anything runs. A dry run prints the plan and returns the SQL.
     */
    public DowngradeResult downgrade(String target, boolean dryRun) {
        DowngradeTarget parsed = DowngradeTarget.parse(target);
        // The scripts as Flyway resolves them, read without Flyway: the plan needs the project's
        // scripts and the history rows, which Downgrade reads itself under the lock.
        MigrationFiles.Scan scan = MigrationFiles.scan(settings);
        if (!scan.problems().isEmpty()) {
            throw new MigrationException(problemsMessage(scan.problems()));
        }
        return withFlyway(() -> new Downgrade(dataSource, settings, reporter, scan, placeholders(), locking)
                .run(parsed, dryRun, settings.mixed()));
    }

    private MigrationVersion targetVersion(String target, RevisionStatus status) {
        if (target == null || target.isBlank() || target.strip().equalsIgnoreCase(HEAD)) {
            return null;
        }
        MigrationVersion version;
        try {
            version = MigrationVersion.fromVersion(target.strip());
        } catch (FlywayException e) {
            throw new ConfigurationException("bemserver.revision '" + target + "' is not a revision: use one of "
                    + RevisionStatus.shorten(status.known()) + " or head");
        }
        for (String known : status.known()) {
            if (MigrationVersion.fromVersion(known).equals(version)) {
                return version;
            }
        }
        throw new ConfigurationException("Unknown revision " + target.strip() + " (bemserver.revision): this project's revisions are "
                + (status.known().isEmpty() ? "none" : RevisionStatus.shorten(status.known())) + ", or head");
    }

    /** The migrations an upgrade to {@code target} runs, in Flyway's order (repeatables only up to head). */
    private static List<MigrationInfo> plan(MigrationInfo[] all, MigrationVersion target) {
        List<MigrationInfo> plan = new ArrayList<>();
        for (MigrationInfo migration : all) {
            if (!isPending(migration.getState())) {
                continue;
            }
            if (migration.getVersion() == null ? target == null : target == null || migration.getVersion().compareTo(target) <= 0) {
                plan.add(migration);
            }
        }
        return plan;
    }

    /** The scripts of a dry run, each in the transaction Flyway would give it. */
    private String dryRunSql(List<MigrationInfo> plan) {
        Placeholders placeholders = placeholders();
        StringBuilder sql = new StringBuilder();
        int index = 0;
        for (MigrationInfo migration : plan) {
            String label = revisionOf(migration).label() + " (" + ++index + "/" + plan.size() + ")";
            Path file = Path.of(migration.getPhysicalLocation());
            reporter.info("Would apply " + label + " from " + settings.display(file));
            SqlScript script;
            try {
                script = SqlScript.parse(migration.getScript(),
                        placeholders.replace(migration.getScript(), Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new EnvironmentException("Cannot read " + settings.display(file) + ": " + e.getMessage(), e);
            }
            boolean transactional = script.nonTransactional().isEmpty();
            sql.append("\n-- Applying ").append(label).append(": ").append(migration.getScript()).append('\n');
            sql.append(transactional ? "BEGIN;\n" : "-- runs outside a transaction\n");
            for (SqlScript.Statement statement : script.statements()) {
                sql.append(statement.terminated()).append('\n');
            }
            sql.append("-- Flyway records ").append(migration.getVersion() == null ? "this script" : "revision "
                    + migration.getVersion().getVersion()).append(" in ").append(settings.schemas().get(0)).append('.')
                    .append(settings.table()).append('\n');
            if (transactional) {
                sql.append("COMMIT;\n");
            }
        }
        return sql.toString();
    }

    /**
     * Replaces the placeholders in the text of a file the plugin runs itself (an undo script, a
     * model file) as Flyway replaces them in migrations.
     */
    public String replacePlaceholders(String fileName, String text) {
        return placeholders().replace(fileName, text);
    }

    /** The user's placeholders and Flyway's built-in ones, for scripts the plugin reads itself; made once. */
    private Placeholders placeholders() {
        if (placeholders == null) {
            placeholders = readPlaceholders();
        }
        return placeholders;
    }

    private Placeholders readPlaceholders() {
        Map<String, String> builtIn = new LinkedHashMap<>();
        builtIn.put("flyway:defaultSchema", settings.schemas().get(0));
        builtIn.put("flyway:table", settings.table());
        builtIn.put("flyway:environment", "default");
        builtIn.put("flyway:workingDirectory", Path.of("").toAbsolutePath().toString());
        builtIn.put("flyway:timestamp", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
        return new Placeholders(settings.placeholders(), builtIn, this::readSessionPlaceholders);
    }

    /** {@code flyway:user} and {@code flyway:database}, read on a connection of their own when a script uses them. */
    private Map<String, String> readSessionPlaceholders() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT current_user, current_database()")) {
            result.next();
            return Map.of("flyway:user", result.getString(1), "flyway:database", result.getString(2));
        } catch (SQLException e) {
            throw new EnvironmentException("Cannot read the current user and database: " + databaseMessage(e), e);
        }
    }

    static RevisionStatus statusOf(MigrationInfo[] all) {
        List<String> known = new ArrayList<>();
        List<Revision> pending = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        MigrationVersion current = null;
        MigrationVersion head = null;
        for (MigrationInfo migration : all) {
            if (migration.getType() == CoreMigrationType.SCHEMA) {
                continue;
            }
            MigrationState state = migration.getState();
            MigrationVersion version = migration.getVersion();
            if (version != null && state.isResolved() && !migration.getType().isBaseline()) {
                known.add(version.getVersion());
                head = version;
            }
            if (version != null && state.isApplied() && !state.isFailed()
                    && (current == null || version.compareTo(current) > 0)) {
                current = version;
            }
            if (isPending(state)) {
                pending.add(revisionOf(migration));
            }
            String problem = problemOf(migration);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return new RevisionStatus(
                current == null ? null : current.getVersion(),
                head == null ? null : head.getVersion(),
                known,
                pending,
                problems);
    }

    private static boolean isPending(MigrationState state) {
        // A changed repeatable script shows twice: its old row OUTDATED, its new content PENDING.
        return state == MigrationState.PENDING || state == MigrationState.ABOVE_TARGET;
    }

    private static String problemOf(MigrationInfo migration) {
        String script = migration.getScript();
        String revision = migration.getVersion() == null ? "repeatable " + migration.getDescription()
                : "revision " + migration.getVersion().getVersion();
        return switch (migration.getState()) {
            case FAILED, MISSING_FAILED, FUTURE_FAILED -> revision + " (" + script + ") is recorded as failed: it ran "
                    + "outside a transaction and stopped half-way; repair the schema by hand, then delete its row from "
                    + "the history table";
            case MISSING_SUCCESS -> revision + " is recorded as applied but " + script + " is not in bemserver.locations: "
                    + "restore the script";
            case IGNORED -> script + " (" + revision + ") is older than the database's revision and was never applied: "
                    + "give it a revision above the current one";
            case SUCCESS, OUT_OF_ORDER -> {
                if (migration.getResolvedChecksum() != null && !migration.isChecksumMatching()) {
                    yield editedScript(script, migration.getAppliedChecksum(), migration.getResolvedChecksum());
                }
                if (migration.getResolvedDescription() != null && !migration.isDescriptionMatching()) {
                    yield script + " was renamed after it was applied (recorded as '" + migration.getAppliedDescription()
                            + "'): restore its name";
                }
                yield null;
            }
            default -> null;
        };
    }

    /** The problem of an applied script that was edited afterwards. */
    static String editedScript(String script, Integer recorded, Integer onDisk) {
        return script + " was changed after it was applied (checksum " + recorded + " recorded, " + onDisk
                + " on disk): restore it as it was applied and put the change in a new revision";
    }

    private static Revision revisionOf(MigrationInfo migration) {
        return new Revision(
                migration.getVersion() == null ? null : migration.getVersion().getVersion(),
                migration.getDescription(),
                migration.getScript());
    }

    private static String stateName(MigrationState state) {
        return switch (state) {
            case SUCCESS, OUT_OF_ORDER -> "applied";
            case PENDING, ABOVE_TARGET -> "pending";
            case FAILED, MISSING_FAILED, FUTURE_FAILED -> "failed";
            case MISSING_SUCCESS -> "missing";
            case FUTURE_SUCCESS -> "future";
            default -> state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    private SchemaException failedMigration(FlywayMigrateException e) {
        MigrationInfo migration = e.getMigration();
        String script = migration == null ? "a migration" : scriptPath(migration);
        StringBuilder message = new StringBuilder("Migration ").append(script).append(" failed");
        if (e.getLineNumber() > 0) {
            message.append(" at line ").append(e.getLineNumber());
        }
        String sqlState = e.getSqlState() != null ? e.getSqlState() : sqlStateOf(e);
        message.append(" (");
        if (sqlState != null) {
            message.append("SQL state ").append(sqlState).append(": ");
        }
        message.append(databaseMessage(e)).append(")");
        SQLException cause = sqlExceptionOf(e);
        String advice = cause == null ? null : SqlFailures.environmentAdvice(cause, locking);
        RevisionStatus after = statusOf(configure().load().info().all());
        if (after.problems().isEmpty()) {
            message.append("; the database stays at revision ").append(display(after.current()))
                    .append(advice != null ? ": " + advice : ": fix the script and run db-upgrade again");
        } else {
            message.append("; it ran outside a transaction, so its statements before that line stay applied and Flyway "
                    + "recorded it as failed: repair the schema by hand, delete the failed row from ")
                    .append(settings.schemas().get(0)).append('.').append(settings.table()).append(", then run db-upgrade again");
        }
        return new MigrationException(message.toString(), e);
    }

    /** A script run by {@link Upgrade} failed; its transaction was rolled back. */
    private SchemaException failedMigration(String script, String where, SQLException e, String stays) {
        String advice = SqlFailures.environmentAdvice(e, locking);
        return new MigrationException("Migration " + script + " failed " + where + " (" + SqlFailures.describe(e)
                + "); the database stays at revision " + display(stays)
                + (advice != null ? ": " + advice : ": fix the script and run db-upgrade again"), e);
    }

    private String scriptPath(MigrationInfo migration) {
        String physical = migration.getPhysicalLocation();
        return physical == null || physical.isEmpty() ? migration.getScript() : settings.display(Path.of(physical));
    }

    private static SQLException sqlExceptionOf(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static String sqlStateOf(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** The server's own message ({@code relation "x" does not exist}), without Flyway's framing. */
    private static String databaseMessage(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return psql.getServerErrorMessage().getMessage();
            }
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return firstLine(sql.getMessage());
            }
        }
        return firstLine(e.getMessage());
    }

    private static String display(String revision) {
        return revision == null ? "<base>" : revision;
    }

    static String problemsMessage(List<String> problems) {
        if (problems.size() == 1) {
            return "The migrations do not match the database: " + problems.get(0);
        }
        return problems.size() + " problems between the migrations and the database: " + String.join("; ", problems);
    }

    /** The one place Flyway is configured. */
    private FluentConfiguration configure() {
        String[] locations = settings.directories().stream()
                .map(directory -> MigrationSettings.FILESYSTEM + directory)
                .toArray(String[]::new);
        FluentConfiguration configuration = Flyway.configure(Migrations.class.getClassLoader());
        // Flyway's default lock lives in a transaction of its own, and CREATE INDEX CONCURRENTLY waits
        // for that transaction forever (flyway#3497, #3682): a session lock does not.
        configuration.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        return configuration
                .dataSource(dataSource)
                .locations(locations)
                .failOnMissingLocations(true)
                .schemas(settings.schemas().toArray(String[]::new))
                .defaultSchema(settings.schemas().get(0))
                .table(settings.table())
                .placeholders(settings.placeholders())
                .loggers(FlywayLogBridge.class.getName())
                .mixed(settings.mixed())
                .lockRetryCount((int) Math.max(1, locking.lockWait().toSeconds()))
                .initSql(locking.lockTimeout() == null ? null : "SET " + locking.lockTimeoutSetting())
                .cleanDisabled(true)
                .ignoreMigrationPatterns("*:future");
    }

    @SuppressWarnings("try") // the scope is held, not used: it routes Flyway's log while work runs
    private <T> T withFlyway(java.util.function.Supplier<T> work) {
        try (FlywayLogBridge.Scope scope = FlywayLogBridge.open(reporter)) {
            return work.get();
        } catch (FlywayValidateException e) {
            throw new MigrationException("The migrations do not match the database: " + validateDetail(e.getMessage()), e);
        } catch (FlywaySqlException e) {
            SQLException cause = sqlExceptionOf(e);
            String advice = cause == null ? null : SqlFailures.environmentAdvice(cause, locking);
            throw new EnvironmentException(firstLine(e.getMessage()) + " (" + databaseMessage(e)
                    + (sqlStateOf(e) == null ? "" : ", SQL state " + sqlStateOf(e)) + "): "
                    + (advice != null ? advice : "check the database and run the goal again"), e);
        } catch (FlywayException e) {
            if (String.valueOf(e.getMessage()).contains("advisory lock")) {
                throw new EnvironmentException("Gave up after " + locking.lockWait().toSeconds() + " s waiting for Flyway's lock on "
                        + historyTable().displayName() + ": another Flyway run holds it; nothing was changed: try again when it "
                        + "has finished (bemserver.lockWait sets how long to wait)", e);
            }
            throw new MigrationException(firstLine(e.getMessage()), e);
        }
    }

    /** Flyway's validate message starts with a generic line; the problems follow it. */
    private static String validateDetail(String message) {
        List<String> lines = String.valueOf(message).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("Validate failed") && !line.startsWith("Need more flexibility"))
                .toList();
        return lines.isEmpty() ? firstLine(message) : String.join("; ", lines);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }

    /** Prints one line before each migration Flyway applies. */
    private final class Progress implements Callback {

        private final int total;
        private int done;

        Progress(int total) {
            this.total = total;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            applying(revisionOf(context.getMigrationInfo()));
        }

        void applying(Revision revision) {
            done++;
            reporter.info("Applying " + revision.label() + " (" + done + "/" + total + ")");
        }

        @Override
        public String getCallbackName() {
            return "bemserver-progress";
        }
    }
}
