package org.bemserver.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.catalog.SnapshotReader;

/**
 * Times the catalog snapshot of schema {@code public}: once (the cold figure is this whole process,
 * timed from outside), then {@code warm} more times in the same JVM and connection, printing the
 * median of those in milliseconds, for the in-process figure.
 *
 * <pre>java org.bemserver.bench.SnapshotTiming jdbc-url user password warm-runs</pre>
 * Prints {@code objects=<n> warm_median_ms=<m>}.
 */
public final class SnapshotTiming {

    private SnapshotTiming() {}

    public static void main(String[] args) throws SQLException {
        if (args.length != 4) {
            System.err.println("usage: SnapshotTiming <jdbc-url> <user> <password> <warm-runs>");
            System.exit(2);
        }
        int warm = Integer.parseInt(args[3]);
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            Snapshot first = read(connection);
            double[] millis = new double[warm];
            for (int i = 0; i < warm; i++) {
                long start = System.nanoTime();
                read(connection);
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(millis);
            System.out.printf("objects=%d warm_median_ms=%.1f%n", first.objects().size(),
                    warm == 0 ? Double.NaN : millis[warm / 2]);
        }
    }

    private static Snapshot read(Connection connection) {
        return SnapshotReader.read(connection, List.of("public"), Set.of("public.flyway_schema_history"), List.of());
    }
}
