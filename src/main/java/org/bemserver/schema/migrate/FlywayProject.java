package org.bemserver.schema.migrate;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.connect.DatabaseMessages;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/**
 * The project's migrations as Flyway Core sees them, through Flyway's public API only: Flyway is
 * configured here and nowhere else, and its exceptions become the plugin's here.
 */
final class FlywayProject {

    /** The line of Flyway's report of a failed script that names the statement's line ({@code Line : 4}). */
    private static final Pattern REPORTED_LINE = Pattern.compile("(?m)^Line\\s*:\\s*(\\d+)\\s*$");

    private final DataSource dataSource;
    private final MigrationSettings settings;
    private final Reporter reporter;
    private final Locking locking;
    private final ScriptScan scripts;

    FlywayProject(
            DataSource dataSource, MigrationSettings settings, Reporter reporter, Locking locking, ScriptScan scripts) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.settings = Objects.requireNonNull(settings);
        this.reporter = Objects.requireNonNull(reporter);
        this.locking = Objects.requireNonNull(locking);
        this.scripts = Objects.requireNonNull(scripts);
    }

    /** The project's scripts as they are now ({@link ScriptScan#take}). */
    MigrationFiles.Scan scan() {
        return scripts.take();
    }

    /** A migration Flyway's own migrate applied failed; Flyway rolled back what it could. */
    static final class FailedMigration extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient Migration migration;
        private final int line;

        FailedMigration(Migration migration, int line, FlywayException cause) {
            super(cause.getMessage(), cause);
            this.migration = migration;
            this.line = line;
        }

        /** The migration that failed. */
        Migration migration() {
            return migration;
        }

        /** The line of the statement refused, as Flyway reports it, or {@code -1} when it names none. */
        int line() {
            return line;
        }
    }

    /**
     * Every migration known to the project or recorded in the database, in Flyway's order: worked
     * out without starting Flyway when that is exact ({@link DirectInfo}), Flyway's own otherwise.
     */
    List<Migration> info() {
        return info(scan());
    }

    /**
     * The same, for the project read as {@code scan}: when it has problems and Flyway cannot read
     * its files at all, the list of what is wrong is the answer.
     */
    List<Migration> info(MigrationFiles.Scan scan) {
        List<Migration> direct = DirectInfo.read(dataSource, historyTable(), scan);
        if (direct != null) {
            return direct;
        }
        try {
            return flywayInfo();
        } catch (FlywayException e) {
            if (scan.problems().isEmpty()) {
                throw e;
            }
            throw new MigrationException(MigrationStates.problemsMessage(scan.problems()), e);
        }
    }

    /** Flyway's own info. */
    List<Migration> flywayInfo() {
        return Arrays.stream(configure().load().info().all()).map(Migration::of).toList();
    }

    /**
     * Flyway's own migrate, up to {@code target} ({@code null}: all), telling {@code applying}
     * before each migration.
     *
     * @throws FailedMigration when a migration fails
     */
    void migrate(Version target, Consumer<Revision> applying) {
        Progress progress = new Progress(applying);
        try {
            configure()
                    .callbacks(progress)
                    .target(target == null ? MigrationVersion.LATEST : MigrationVersion.fromVersion(target.id()))
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            if (progress.failed == null) {
                throw e;
            }
            throw new FailedMigration(progress.failed, reportedLine(e), e);
        }
    }

    /** The line Flyway's report of a failed script names, or {@code -1}. */
    private static int reportedLine(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            Matcher line = REPORTED_LINE.matcher(String.valueOf(cause.getMessage()));
            if (line.find()) {
                return Integer.parseInt(line.group(1));
            }
        }
        return -1;
    }

    /** Runs {@code work} with Flyway's log going to the reporter and Flyway's exceptions made the plugin's. */
    @SuppressWarnings("try") // the scope is held, not used: it routes Flyway's log while work runs
    <T> T call(Supplier<T> work) {
        try (FlywayLogBridge.Scope scope = FlywayLogBridge.open(reporter)) {
            return work.get();
        } catch (FlywayValidateException e) {
            throw new MigrationException(
                    "The migrations do not match the database: " + validateDetail(e.getMessage()), e);
        } catch (FlywayException e) {
            // Flyway's report of a failed JDBC call: its cause is the driver's exception
            if (e.getErrorCode() == CoreErrorCode.DB_CONNECTION && e.getCause() instanceof SQLException cause) {
                String advice = SqlFailures.environmentAdvice(cause, locking);
                String sqlState = SqlFailures.sqlState(e);
                throw new EnvironmentException(
                        DatabaseMessages.firstLine(e.getMessage()) + " (" + DatabaseMessages.of(e)
                                + (sqlState == null ? "" : ", SQL state " + sqlState) + "): "
                                + (advice != null ? advice : "check the database and run the goal again"),
                        e);
            }
            if (String.valueOf(e.getMessage()).contains("advisory lock")) {
                throw new EnvironmentException(
                        "Gave up after " + locking.lockWait().toSeconds() + " s waiting for Flyway's lock on "
                                + historyTable().displayName()
                                + ": another Flyway run holds it; nothing was changed: try again when it "
                                + "has finished (bemserver.lockWait sets how long to wait)",
                        e);
            }
            throw new MigrationException(DatabaseMessages.firstLine(e.getMessage()), e);
        }
    }

    private HistoryTable historyTable() {
        return new HistoryTable(settings.schemas().get(0), settings.table());
    }

    /** Flyway's validate message starts with a generic line; the problems follow it. */
    private static String validateDetail(String message) {
        List<String> lines = String.valueOf(message)
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty()
                        && !line.startsWith("Validate failed")
                        && !line.startsWith("Need more flexibility"))
                .toList();
        return lines.isEmpty() ? DatabaseMessages.firstLine(message) : String.join("; ", lines);
    }

    /** The one place Flyway is configured. */
    private FluentConfiguration configure() {
        String[] locations = settings.directories().stream()
                .map(directory -> MigrationSettings.FILESYSTEM + directory)
                .toArray(String[]::new);
        FluentConfiguration configuration = Flyway.configure(FlywayProject.class.getClassLoader());
        // Flyway's default lock lives in a transaction of its own, and CREATE INDEX CONCURRENTLY waits
        // for that transaction forever (flyway#3497, #3682): a session lock does not.
        configuration
                .getConfigurationExtension(PostgreSQLConfigurationExtension.class)
                .setTransactionalLock(false);
        return configuration
                .dataSource(dataSource)
                .locations(locations)
                .failOnMissingLocations(true)
                .schemas(settings.schemas().toArray(String[]::new))
                .defaultSchema(settings.schemas().get(0))
                .table(settings.table())
                .placeholders(settings.placeholders())
                .placeholderReplacement(settings.placeholderReplacement())
                .loggers(FlywayLogBridge.class.getName())
                .mixed(settings.mixed())
                .lockRetryCount((int) Math.max(1, locking.lockWait().toSeconds()))
                .initSql(locking.lockTimeout() == null ? null : "SET " + locking.lockTimeoutSetting())
                .cleanDisabled(true)
                .ignoreMigrationPatterns("*:future");
    }

    /** Tells before each migration Flyway applies, and keeps the one that failed. */
    private static final class Progress implements Callback {

        private final Consumer<Revision> applying;
        private Migration failed;

        Progress(Consumer<Revision> applying) {
            this.applying = applying;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE_ERROR;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            Migration migration = Migration.of(context.getMigrationInfo());
            if (event == Event.AFTER_EACH_MIGRATE_ERROR) {
                failed = migration;
            } else {
                applying.accept(migration.revision());
            }
        }

        @Override
        public String getCallbackName() {
            return "bemserver-progress";
        }
    }
}
