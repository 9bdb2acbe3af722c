package org.bemserver.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * How a long run of revisions, each worked on in turn on one throwaway database (the stairway of
 * db-check), is cut into segments that run at once, each on a database of its own that is first
 * brought to where its segment starts by plain upgrades. A segment keeps one client thread and
 * one database backend busy in turn, about one core: on a machine of several cores the run then
 * takes about the time of its longest segment.
 *
 * @param cores how many segments may run at once: the machine's processors
 * @param minimum the fewest revisions a segment holds: below it, a database of its own costs more
 *     than it saves
 */
public record Segments(int cores, int minimum) {

    public Segments {
        if (cores < 1 || minimum < 1) {
            throw new IllegalArgumentException("cores and minimum must be at least 1: " + cores + ", " + minimum);
        }
    }

    /**
     * The most segments at once: each holds two connections to the server of the throwaway
     * databases (which may be a shared {@code bemserver.devUri} server with its own
     * {@code max_connections}), and each starts with a longer catch-up than the one before.
     */
    static final int MOST = 8;

    /**
     * As many segments as this machine has processors (at most {@link #MOST}), of at least
     * {@code minimum} revisions.
     */
    public static Segments ofMachine(int minimum) {
        return of(Runtime.getRuntime().availableProcessors(), minimum);
    }

    /** As many segments as {@code processors}, at most {@link #MOST}, of at least {@code minimum} revisions. */
    static Segments of(int processors, int minimum) {
        return new Segments(Math.min(MOST, processors), minimum);
    }

    /**
     * The sizes of the segments of {@code revisions}, in order, adding up to it. {@code catchUp} is
     * what upgrading a database by one revision costs, as a share of what the run does with one
     * revision: each segment first upgrades through the revisions of those before it, and is made
     * that much shorter, so that all end together. A single segment when the run is too short to
     * give each at least {@link #minimum} revisions.
     */
    public List<Integer> sizes(int revisions, double catchUp) {
        if (catchUp <= 0 || catchUp >= 1) {
            throw new IllegalArgumentException("catchUp must be between 0 and 1: " + catchUp);
        }
        // all ending together, each segment is (1 - catchUp) times as long as the one before it
        double shrink = 1 - catchUp;
        for (int count = Math.min(cores, revisions / minimum); count > 1; count--) {
            double total = (1 - Math.pow(shrink, count)) / catchUp;
            List<Integer> sizes = new ArrayList<>();
            double end = 0;
            int given = 0;
            for (int k = 0; k < count; k++) {
                end += Math.pow(shrink, k) / total * revisions;
                int until = k == count - 1 ? revisions : (int) Math.round(end);
                sizes.add(until - given);
                given = until;
            }
            if (sizes.stream().allMatch(size -> size >= minimum)) {
                return sizes;
            }
        }
        return List.of(revisions);
    }
}
