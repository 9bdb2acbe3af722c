package org.bemserver.schema.migrate;

import java.util.Objects;
import org.bemserver.schema.Background;

/**
 * The reading of the project's migration scripts ({@link MigrationFiles#scan}) for one goal run,
 * which can start before the connection is made: the first connection takes 100 to 150 ms (the
 * driver's classes, the server's new backend), in which the scripts are read and their checksums
 * computed on another core. The first reading is the one started ahead; every later one reads the
 * files again, as a goal that writes a script (db-revision) must see it.
 */
public final class ScriptScan {

    private final MigrationSettings settings;
    private Background<MigrationFiles.Scan> ahead;

    private ScriptScan(MigrationSettings settings, Background<MigrationFiles.Scan> ahead) {
        this.settings = Objects.requireNonNull(settings);
        this.ahead = ahead;
    }

    /** Starts reading the scripts of {@code settings} now, on a thread of its own. */
    public static ScriptScan ahead(MigrationSettings settings) {
        return new ScriptScan(
                settings,
                Background.start(
                        "bemserver-scripts", "the migration scripts to be read", () -> MigrationFiles.scan(settings)));
    }

    /** Reads the scripts of {@code settings} when asked, on the asking thread. */
    static ScriptScan onDemand(MigrationSettings settings) {
        return new ScriptScan(settings, null);
    }

    /** The scripts as they are now: the reading started ahead, the first time. */
    synchronized MigrationFiles.Scan take() {
        Background<MigrationFiles.Scan> started = ahead;
        ahead = null;
        return started != null ? started.join() : MigrationFiles.scan(settings);
    }
}
