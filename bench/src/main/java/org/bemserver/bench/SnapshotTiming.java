package org.bemserver.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.catalog.SnapshotReader;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Times the catalog snapshot of schema {@code public}: once in this new JVM (cold: classes loaded,
 * code interpreted, connections opened), then {@code warm} more times, printing the first time and
 * the median of the others in milliseconds. The whole process is timed from outside too.
 *
 * <pre>java org.bemserver.bench.SnapshotTiming jdbc-url user password warm-runs</pre>
 * Prints {@code objects=<n> cold_ms=<c> warm_median_ms=<m>}.
 */
public final class SnapshotTiming {

    private SnapshotTiming() {}

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: SnapshotTiming <jdbc-url> <user> <password> <warm-runs>");
            System.exit(2);
        }
        int warm = Integer.parseInt(args[3]);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(args[0]);
        dataSource.setUser(args[1]);
        dataSource.setPassword(args[2]);
        long coldStart = System.nanoTime();
        Snapshot first = read(dataSource);
        double cold = (System.nanoTime() - coldStart) / 1e6;
        double[] millis = new double[warm];
        for (int i = 0; i < warm; i++) {
            long start = System.nanoTime();
            read(dataSource);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf(
                "objects=%d cold_ms=%.1f warm_median_ms=%.1f%n",
                first.objects().size(), cold, warm == 0 ? Double.NaN : millis[warm / 2]);
    }

    /** As the plugin reads: two connections sharing one snapshot, each opened for the reading. */
    private static Snapshot read(PGSimpleDataSource dataSource) {
        return SnapshotReader.read(dataSource, List.of("public"), Set.of("public.flyway_schema_history"), List.of());
    }
}
