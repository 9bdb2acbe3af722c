package org.bemserver.schema.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.bemserver.testing.EngineTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The catalogs' write counts say which catalogs the changes between two readings wrote, whatever
 * transactions ran and whenever the connection reported its statistics; and they are unknown when
 * they cannot say.
 */
class CatalogWritesTest extends EngineTest {

    private Connection connection;

    @BeforeEach
    void connect() throws SQLException {
        connection = database.connect();
        execute("CREATE TABLE sites (id integer PRIMARY KEY, name text)");
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void aChangeNamesTheCatalogsItWroteAndOnlyThose() throws SQLException {
        CatalogWrites before = CatalogWrites.read(connection);
        execute("ALTER TABLE sites ADD COLUMN code text DEFAULT 'x'");

        assertThat(CatalogWrites.read(connection).since(before))
                .contains("pg_catalog.pg_attribute", "pg_catalog.pg_attrdef", "pg_catalog.pg_class")
                .doesNotContain("pg_catalog.pg_trigger", "pg_catalog.pg_constraint", "pg_catalog.pg_index");
    }

    @Test
    void rowsOfTablesWriteNoCatalogAndNothingWritesNothing() throws SQLException {
        CatalogWrites before = CatalogWrites.read(connection);
        execute("INSERT INTO sites VALUES (1, 'Head office')");
        CatalogWrites after = CatalogWrites.read(connection);

        assertThat(after.since(before)).isEmpty();
        assertThat(CatalogWrites.read(connection).since(after)).isEmpty();
    }

    @Test
    void aTransactionRolledBackCountsAndSoDoesOneInProgress() throws SQLException {
        CatalogWrites before = CatalogWrites.read(connection);
        connection.setAutoCommit(false);
        execute(
                "CREATE TRIGGER tr AFTER INSERT ON sites FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()");
        CatalogWrites during = CatalogWrites.read(connection);
        connection.rollback();
        connection.setAutoCommit(true);

        assertThat(during.since(before)).contains("pg_catalog.pg_trigger");
        assertThat(CatalogWrites.read(connection).since(before)).contains("pg_catalog.pg_trigger");
    }

    @Test
    void theCountsDoNotMoveWhenTheConnectionReportsItsStatistics() throws SQLException {
        connection.setAutoCommit(false);
        execute("CREATE INDEX ix_sites_name ON sites (name)");
        // in the transaction: not reported yet, whatever the time
        long pending = pendingInsertsIntoPgClass();
        CatalogWrites before = CatalogWrites.read(connection);
        connection.commit();
        connection.setAutoCommit(true);
        // reported when the connection next waits outside a transaction: before the next query
        execute("SELECT pg_catalog.pg_stat_force_next_flush()");

        assertThat(pending).as("pg_class rows written in the transaction").isPositive();
        assertThat(pendingInsertsIntoPgClass()).as("reported").isZero();
        assertThat(CatalogWrites.read(connection).since(before)).isEmpty();
    }

    @Test
    void countsTakenBackByAStatisticsResetAreUnknown() throws SQLException {
        execute("SELECT pg_catalog.pg_stat_force_next_flush()");
        CatalogWrites before = CatalogWrites.read(connection);
        server.execute(uri.database(), "SELECT pg_catalog.pg_stat_reset()");

        assertThat(CatalogWrites.read(connection).since(before)).isNull();
    }

    @Test
    void withoutStatisticsTheCountsAreUnknown() throws SQLException {
        server.execute(uri.database(), "ALTER DATABASE " + uri.database() + " SET track_counts = off");
        try (Connection uncounted = database.connect()) {
            CatalogWrites read = CatalogWrites.read(uncounted);

            assertThat(read.since(read)).isNull();
            assertThat(read.since(CatalogWrites.read(connection))).isNull();
        }
    }

    private long pendingInsertsIntoPgClass() throws SQLException {
        try (Statement statement = connection.createStatement();
                var result = statement.executeQuery(
                        "SELECT pg_catalog.pg_stat_get_xact_tuples_inserted('pg_catalog.pg_class'::regclass)")) {
            result.next();
            return result.getLong(1);
        }
    }
}
