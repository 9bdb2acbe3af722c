package org.bemserver.schema;

/**
 * Where the engine reports progress. Implemented once over Maven's log; tests collect the lines.
 * Lines given to {@link #info} are the user-facing contract that users and scripts read (README.md, Output).
 */
public interface Reporter {

    void info(String line);

    void warn(String line);

    void debug(String line);

    boolean isDebugEnabled();

    /**
     * A reporter that turns {@code reporter}'s info lines into debug lines, for work a goal sums up
     * in its own words (the migrations of a throwaway database); warnings still show.
     */
    static Reporter quiet(Reporter reporter) {
        return new Reporter() {
            @Override
            public void info(String line) {
                reporter.debug(line);
            }

            @Override
            public void warn(String line) {
                reporter.warn(line);
            }

            @Override
            public void debug(String line) {
                reporter.debug(line);
            }

            @Override
            public boolean isDebugEnabled() {
                return reporter.isDebugEnabled();
            }
        };
    }

    /** A reporter that drops everything, for callers that only want the returned records. */
    static Reporter silent() {
        return new Reporter() {
            @Override
            public void info(String line) {}

            @Override
            public void warn(String line) {}

            @Override
            public void debug(String line) {}

            @Override
            public boolean isDebugEnabled() {
                return false;
            }
        };
    }
}
