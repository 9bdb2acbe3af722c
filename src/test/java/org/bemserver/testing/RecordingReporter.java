package org.bemserver.testing;

import java.util.ArrayList;
import java.util.List;
import org.bemserver.schema.Reporter;

/** Collects what the engine reports, by level. */
public final class RecordingReporter implements Reporter {

    public final List<String> infos = new ArrayList<>();
    public final List<String> warnings = new ArrayList<>();
    public final List<String> debugs = new ArrayList<>();

    @Override
    public synchronized void info(String line) {
        infos.add(line);
    }

    @Override
    public synchronized void warn(String line) {
        warnings.add(line);
    }

    @Override
    public synchronized void debug(String line) {
        debugs.add(line);
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }
}
