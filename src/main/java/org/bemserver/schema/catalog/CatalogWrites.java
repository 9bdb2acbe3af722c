package org.bemserver.schema.catalog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How many rows have been inserted, updated and deleted in each catalog that a
 * {@link TrackedSnapshot} scans, read from the server's statistics on the connection that runs the
 * changes: two of them say which catalogs the changes between them wrote, and a reading scans only
 * those ({@link TrackedSnapshot#refresh(Set)}). A catalog no row was written to holds what the last
 * reading found.
 *
 * <p>Each count is the one in the server's cumulative statistics plus the connection's own not yet
 * reported (PostgreSQL 15 and later, which keep both in shared memory). A connection reports its
 * counts only while it waits outside a transaction, never during a query, and the sum does not move
 * when it does; it counts the rows of transactions rolled back too. The sum then grows with every
 * row written in the database by that connection or by one that reported, and by nothing else:
 * two equal sums mean no row written in between, whichever transactions ran. Statistics reset in
 * the database (a count goes down), statistics not collected ({@code track_counts} off), or an
 * older server: the counts are {@linkplain #UNKNOWN unknown}, and a reading scans every catalog.
 */
public final class CatalogWrites {

    /** The catalogs changes.sql scans, and the rows of which it reads. */
    static final List<String> CATALOGS = List.of(
            "pg_catalog.pg_class",
            "pg_catalog.pg_type",
            "pg_catalog.pg_proc",
            "pg_catalog.pg_namespace",
            "pg_catalog.pg_extension",
            "pg_catalog.pg_constraint",
            "pg_catalog.pg_trigger",
            "pg_catalog.pg_policy",
            "pg_catalog.pg_collation",
            "pg_catalog.pg_description",
            "pg_catalog.pg_attribute",
            "pg_catalog.pg_attrdef",
            "pg_catalog.pg_index",
            "pg_catalog.pg_rewrite",
            "pg_catalog.pg_inherits",
            "pg_catalog.pg_sequence",
            "pg_catalog.pg_enum",
            "pg_catalog.pg_range",
            "pg_catalog.pg_aggregate");

    /** Counts not known: every catalog may have been written. */
    public static final CatalogWrites UNKNOWN = new CatalogWrites(null);

    /** Each catalog's count, as an array in the order of {@link #CATALOGS}, on a server that keeps them. */
    private static final String QUERY = "SELECT pg_catalog.array_agg(pg_catalog.pg_stat_get_tuples_inserted(u.o) "
            + "+ pg_catalog.pg_stat_get_tuples_updated(u.o) + pg_catalog.pg_stat_get_tuples_deleted(u.o) "
            + "+ pg_catalog.pg_stat_get_xact_tuples_inserted(u.o) + pg_catalog.pg_stat_get_xact_tuples_updated(u.o) "
            + "+ pg_catalog.pg_stat_get_xact_tuples_deleted(u.o) ORDER BY u.n)::text "
            + "FROM pg_catalog.unnest('{" + String.join(",", CATALOGS)
            + "}'::pg_catalog.regclass[]::oid[]) WITH ORDINALITY AS u(o, n) "
            + "WHERE pg_catalog.current_setting('server_version_num')::int4 >= 150000 "
            + "AND pg_catalog.current_setting('track_counts')::bool";

    /** Each catalog's count, in the order of {@link #CATALOGS}; {@code null}: unknown. */
    private final long[] counts;

    private CatalogWrites(long[] counts) {
        this.counts = counts;
    }

    /** The counts now, on {@code connection} (outside a transaction, or in one: the sums are the same). */
    public static CatalogWrites read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(QUERY)) {
            String array = result.next() ? result.getString(1) : null;
            if (array == null) {
                return UNKNOWN; // an older server, or no statistics
            }
            String[] values = array.substring(1, array.length() - 1).split(",");
            long[] counts = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                counts[i] = Long.parseLong(values[i]);
            }
            return counts.length == CATALOGS.size() ? new CatalogWrites(counts) : UNKNOWN;
        }
    }

    /**
     * The catalogs written between {@code before} and these counts, or {@code null} when either
     * is unknown, or a count went down (the statistics were reset in between: a reset that brought
     * a count back to where it was, with rows written since, would need every other count too).
     */
    public Set<String> since(CatalogWrites before) {
        if (counts == null || before.counts == null) {
            return null;
        }
        Set<String> written = new TreeSet<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < before.counts[i]) {
                return null;
            }
            if (counts[i] > before.counts[i]) {
                written.add(CATALOGS.get(i));
            }
        }
        return written;
    }
}
