package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.bemserver.testing.EngineTest;
import org.junit.jupiter.api.Test;

/**
 * The history read outside a transaction, in one round trip, is the one read in a transaction,
 * where the table is looked up first: for a table with rows, none, a view of that name and a
 * schema that does not exist.
 */
class HistoryTableTest extends EngineTest {

    private static final HistoryTable PUBLIC = new HistoryTable("public", "flyway_schema_history");

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The rows read outside a transaction and inside one, which must be the same. */
    private List<List<HistoryTable.Row>> bothWays(HistoryTable history) throws SQLException {
        try (Connection connection = database.connect()) {
            List<HistoryTable.Row> atOnce = history.read(connection);
            connection.setAutoCommit(false);
            List<HistoryTable.Row> inTwo = history.read(connection);
            connection.rollback();
            return List.of(atOnce, inTwo);
        }
    }

    @Test
    void aTableWithRowsNoTableAViewAndNoSchemaReadTheSameInOneRoundTripAsInTwo() throws SQLException {
        List<List<HistoryTable.Row>> none = bothWays(PUBLIC);
        List<List<HistoryTable.Row>> noSchema = bothWays(new HistoryTable("nowhere", "flyway_schema_history"));

        execute("CREATE VIEW flyway_schema_history AS SELECT 1 AS installed_rank, '1' AS version, 'x' AS description, "
                + "'SQL' AS type, 'V1__x.sql' AS script, 7 AS checksum, true AS success, now()::timestamp AS "
                + "installed_on, 'me' AS installed_by, 3 AS execution_time");
        List<List<HistoryTable.Row>> view = bothWays(PUBLIC);
        execute("DROP VIEW flyway_schema_history");

        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            PUBLIC.createIfMissing(connection);
            connection.commit();
        }
        execute("INSERT INTO flyway_schema_history VALUES "
                + "(1, '1', 'first', 'SQL', 'V1__first.sql', 42, 'me', '2026-12-06 10:00:00', 12, true), "
                + "(2, '2', 'second', 'SQL', 'V2__second.sql', NULL, 'me', '2026-12-06 10:00:01', 3, false)");
        List<List<HistoryTable.Row>> table = bothWays(PUBLIC);

        for (List<List<HistoryTable.Row>> read : List.of(none, noSchema, view, table)) {
            assertThat(read.get(0)).isEqualTo(read.get(1));
        }
        assertThat(none.get(0)).isEmpty();
        assertThat(noSchema.get(0)).isEmpty();
        assertThat(view.get(0)).isEmpty();
        assertThat(table.get(0))
                .extracting(HistoryTable.Row::version, HistoryTable.Row::checksum, HistoryTable.Row::success)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", 42, true),
                        org.assertj.core.groups.Tuple.tuple("2", null, false));
    }
}
