package org.bemserver.schema.migrate;

import org.bemserver.schema.Reporter;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Routes Flyway's own log into the {@link Reporter} of the goal that runs on this thread: Flyway's
 * info lines become debug lines (the goal prints its own summary), warnings stay warnings, and
 * Flyway's notes about {@code U} undo scripts (which Flyway Community does not know) are dropped.
 *
 * <p>Flyway instantiates this class by name (configured with {@code loggers}), so the reporter is
 * found through a thread-local scope rather than a constructor argument.
 */
public final class FlywayLogBridge implements LogCreator {

    private static final InheritableThreadLocal<Reporter> CURRENT = new InheritableThreadLocal<>();

    /** Makes {@code reporter} receive Flyway's log on this thread until the scope is closed. */
    static Scope open(Reporter reporter) {
        Reporter previous = CURRENT.get();
        CURRENT.set(reporter);
        return () -> CURRENT.set(previous);
    }

    /** A scope of {@link #open}; closing it restores the previous reporter. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public Log createLogger(Class<?> type) {
        return new Bridge();
    }

    private static Reporter reporter() {
        Reporter reporter = CURRENT.get();
        return reporter != null ? reporter : Reporter.silent();
    }

    /** Flyway Community lists every U script as a file it does not understand. */
    private static boolean isUndoScriptNoise(String message) {
        return message.contains("filename convention") || message.contains("Unrecognised migration name format");
    }

    private static final class Bridge implements Log {

        // Deprecated in Flyway 13 with a default that asks Flyway's LogFactory; overridden so the
        // answer stays the goal's log level.
        @SuppressWarnings("deprecation")
        @Override
        public boolean isDebugEnabled() {
            return reporter().isDebugEnabled();
        }

        @Override
        public void debug(String message) {
            reporter().debug("[flyway] " + message);
        }

        @Override
        public void info(String message) {
            reporter().debug("[flyway] " + message);
        }

        @Override
        public void notice(String message) {
            reporter().debug("[flyway] " + message);
        }

        @Override
        public void warn(String message) {
            if (isUndoScriptNoise(message)) {
                reporter().debug("[flyway] " + message);
            } else {
                reporter().warn("Flyway: " + message);
            }
        }

        @Override
        public void error(String message) {
            // Flyway logs the failure it is about to throw; the goal reports it once, better worded.
            reporter().debug("[flyway] " + message);
        }

        @Override
        public void error(String message, Exception e) {
            reporter().debug("[flyway] " + message + ": " + e);
        }
    }
}
