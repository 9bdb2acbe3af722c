package org.bemserver.maven;

import org.apache.maven.plugin.logging.Log;
import org.bemserver.schema.Reporter;

/** The engine's {@link Reporter} over Maven's log. */
final class MavenReporter implements Reporter {

    private final Log log;

    MavenReporter(Log log) {
        this.log = log;
    }

    @Override
    public void info(String line) {
        log.info(line);
    }

    @Override
    public void warn(String line) {
        log.warn(line);
    }

    @Override
    public void debug(String line) {
        log.debug(line);
    }

    @Override
    public boolean isDebugEnabled() {
        return log.isDebugEnabled();
    }
}
