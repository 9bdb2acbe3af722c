package org.bemserver.schema.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bemserver.schema.Identifiers;

/**
 * Flyway's history table, read and written the way Flyway does, so that Flyway's own tools keep
 * reading the same state. Identifiers are always quoted, never concatenated raw.
 */
final class HistoryTable {

    /** Flyway's base key for its PostgreSQL advisory lock (PostgreSQLAdvisoryLockTemplate). */
    private static final long FLYWAY_LOCK_BASE = 77431708279161L;

    /**
     * One row.
     *
     * @param rank installed_rank
     * @param version the version, or {@code null} for repeatable scripts
     * @param description the description
     * @param type {@code SQL}, {@code BASELINE}, {@code SCHEMA}, ...
     * @param script the script's name
     * @param checksum the checksum Flyway recorded
     * @param success whether it completed
     * @param installedOn when it was applied
     * @param installedBy who applied it
     * @param executionTime how long it took in milliseconds
     */
    record Row(
            int rank,
            String version,
            String description,
            String type,
            String script,
            Integer checksum,
            boolean success,
            Instant installedOn,
            String installedBy,
            Integer executionTime) {}

    private final String schema;
    private final String table;

    HistoryTable(String schema, String table) {
        this.schema = schema;
        this.table = table;
    }

    /** {@code "public"."flyway_schema_history"}, quoted as Flyway quotes it. */
    String qualifiedName() {
        return Identifiers.quoted(schema) + "." + Identifiers.quoted(table);
    }

    /** {@code flyway_schema_history}: the table's name, unquoted. */
    String tableName() {
        return table;
    }

    /** {@code public.flyway_schema_history}, for messages. */
    String displayName() {
        return schema + "." + table;
    }

    /**
     * The key of the advisory lock Flyway takes on this table: its base plus the hash of the
     * quoted table name ({@code PostgreSQLConnection.lock}). Taking the same key makes us and
     * Flyway exclude each other.
     */
    long lockKey() {
        return FLYWAY_LOCK_BASE + qualifiedName().hashCode();
    }

    boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
            query.setString(1, schema);
            query.setString(2, table);
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        }
    }

    /** The columns of a row, in {@link Row}'s order. */
    private static final String COLUMNS = "installed_rank, version, description, type, script, checksum, success, "
            + "installed_on, installed_by, execution_time";

    /**
     * Every row in installed order; empty when the table does not exist. Outside a transaction
     * (most reads: where the database stands), in one round trip: the rows of the table when it
     * is one, a missing table being the query's failure.
     */
    List<Row> read(Connection connection) throws SQLException {
        if (connection.getAutoCommit()) {
            List<Row> rows = readAtOnce(connection);
            if (rows != null) {
                return rows;
            }
        }
        List<Row> rows = new ArrayList<>();
        if (!exists(connection)) {
            return rows;
        }
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT " + COLUMNS + " FROM " + qualifiedName() + " ORDER BY installed_rank")) {
            addRows(result, rows);
        }
        return rows;
    }

    /**
     * The rows read in one query that also checks, as {@link #exists} does, that the relation is a
     * table; {@code null} when the query fails for another reason than a missing table or schema
     * (then {@link #exists} and the plain query say what is wrong).
     */
    private List<Row> readAtOnce(Connection connection) {
        String name = qualifiedName().replace("'", "''");
        List<Row> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT " + COLUMNS + " FROM " + qualifiedName()
                        + " WHERE (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = '" + name
                        + "'::regclass) IN ('r', 'p') ORDER BY installed_rank")) {
            addRows(result, rows);
            return rows;
        } catch (SQLException e) {
            // undefined_table, invalid_schema_name: there is no history yet
            return "42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState()) ? rows : null;
        }
    }

    private static void addRows(ResultSet result, List<Row> rows) throws SQLException {
        while (result.next()) {
            Timestamp installedOn = result.getTimestamp(8);
            rows.add(new Row(
                    result.getInt(1),
                    result.getString(2),
                    result.getString(3),
                    result.getString(4),
                    result.getString(5),
                    result.getObject(6, Integer.class),
                    result.getBoolean(7),
                    installedOn == null ? null : installedOn.toInstant(),
                    result.getString(9),
                    result.getObject(10, Integer.class)));
        }
    }

    /** The statement that forgets the given rows, as it runs and as a dry run prints it. */
    String deleteStatement(List<Row> rows) {
        StringBuilder ranks = new StringBuilder();
        for (Row row : rows) {
            ranks.append(ranks.length() == 0 ? "" : ", ").append(row.rank());
        }
        return "DELETE FROM " + qualifiedName() + " WHERE installed_rank IN (" + ranks + ")";
    }

    void delete(Connection connection, List<Row> rows) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int deleted = statement.executeUpdate(deleteStatement(rows));
            if (deleted != rows.size()) {
                throw new SQLException("expected to delete " + rows.size() + " history rows, deleted " + deleted);
            }
        }
    }

    /**
     * Creates the table exactly as Flyway creates it on PostgreSQL
     * ({@code PostgreSQLDatabase.getRawCreateScript}), unless it exists.
     */
    void createIfMissing(Connection connection) throws SQLException {
        if (exists(connection)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            for (String create : createStatements()) {
                statement.execute(create);
            }
        }
    }

    /** The statements by which Flyway creates the table, in order. */
    List<String> createStatements() {
        return List.of(
                "CREATE TABLE " + qualifiedName() + " (\n"
                        + "    \"installed_rank\" INT NOT NULL,\n"
                        + "    \"version\" VARCHAR(50),\n"
                        + "    \"description\" VARCHAR(200) NOT NULL,\n"
                        + "    \"type\" VARCHAR(20) NOT NULL,\n"
                        + "    \"script\" VARCHAR(1000) NOT NULL,\n"
                        + "    \"checksum\" INTEGER,\n"
                        + "    \"installed_by\" VARCHAR(100) NOT NULL,\n"
                        + "    \"installed_on\" TIMESTAMP NOT NULL DEFAULT now(),\n"
                        + "    \"execution_time\" INTEGER NOT NULL,\n"
                        + "    \"success\" BOOLEAN NOT NULL\n"
                        + ")",
                "ALTER TABLE " + qualifiedName() + " ADD CONSTRAINT " + Identifiers.quoted(table + "_pk")
                        + " PRIMARY KEY (\"installed_rank\")",
                "CREATE INDEX " + Identifiers.quoted(table + "_s_idx") + " ON " + qualifiedName() + " (\"success\")");
    }

    /**
     * Writes rows of applied SQL scripts with the columns Flyway writes ({@code JdbcTableSchemaHistory});
     * {@code installed_on} takes the table's default, the transaction's start, as with Flyway.
     */
    final class Writer implements AutoCloseable {

        private final PreparedStatement insert;
        private final String installedBy;
        private int rank;

        private Writer(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                    ResultSet result =
                            statement.executeQuery("SELECT current_user, (SELECT coalesce(max(installed_rank), 0) FROM "
                                    + qualifiedName() + ")")) {
                result.next();
                installedBy = result.getString(1);
                rank = result.getInt(2);
            }
            insert = connection.prepareStatement(insertInto() + "?, ?, ?, 'SQL', ?, ?, ?, ?, true)");
        }

        /** The start of an {@code INSERT} of a row, up to its values. */
        private String insertInto() {
            return "INSERT INTO " + qualifiedName() + " (installed_rank, version, description, "
                    + "type, script, checksum, installed_by, execution_time, success) VALUES (";
        }

        /** Records a script as applied, after the rows already there. */
        void applied(String version, String description, String script, Integer checksum, int executionMillis)
                throws SQLException {
            bind(version, description, script, checksum, executionMillis);
            insert.executeUpdate();
        }

        /**
         * The SQL that records a script as applied as {@link #applied} does, {@code after} rows
         * after the last one written, to send after the script in its round trip: its execution
         * time is its transaction's until then. {@link #written} says that the rows were written.
         */
        String appliedSql(int after, String version, String description, String script, Integer checksum) {
            // escaped literals read the same whatever standard_conforming_strings the script set
            return insertInto() + (rank + 1 + after) + ", " + Identifiers.escapedLiteral(version) + ", "
                    + Identifiers.escapedLiteral(description)
                    + ", 'SQL', " + Identifiers.escapedLiteral(script) + ", " + (checksum == null ? "NULL" : checksum)
                    + ", " + Identifiers.escapedLiteral(installedBy)
                    + ", floor(extract(epoch FROM clock_timestamp() - now()) * 1000)::int4, true)";
        }

        /** {@code count} rows of {@link #appliedSql} were written. */
        void written(int count) {
            rank += count;
        }

        /**
         * How many rows of {@link #appliedSql} a round trip that failed part way wrote (they were
         * committed), read from the table and kept as written.
         */
        int writtenSince() throws SQLException {
            try (Statement statement = insert.getConnection().createStatement();
                    ResultSet result = statement.executeQuery(
                            "SELECT count(*) FROM " + qualifiedName() + " WHERE installed_rank > " + rank)) {
                result.next();
                int count = result.getInt(1);
                rank += count;
                return count;
            }
        }

        /**
         * Records scripts as applied, after the rows already there, in one round trip (a model
         * set up for 1000 revisions writes 1000 rows).
         */
        void allApplied(List<Stamp.Entry> entries) throws SQLException {
            for (Stamp.Entry entry : entries) {
                bind(entry.version(), entry.description(), entry.script(), entry.checksum(), 0);
                insert.addBatch();
            }
            insert.executeBatch();
        }

        private void bind(String version, String description, String script, Integer checksum, int executionMillis)
                throws SQLException {
            insert.setInt(1, rank + 1);
            insert.setString(2, version);
            insert.setString(3, description);
            insert.setString(4, script);
            if (checksum == null) {
                insert.setNull(5, Types.INTEGER);
            } else {
                insert.setInt(5, checksum);
            }
            insert.setString(6, installedBy);
            insert.setInt(7, executionMillis);
            rank++;
        }

        @Override
        public void close() throws SQLException {
            insert.close();
        }
    }

    /**
     * A writer of rows after the last one, as the user the session started as (read now, as Flyway
     * reads it once per run, so a script's {@code SET ROLE} does not change it).
     */
    Writer writer(Connection connection) throws SQLException {
        return new Writer(connection);
    }
}
