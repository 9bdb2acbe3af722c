package org.bemserver.schema.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bemserver.schema.Identifiers;

/** Reads the rows of a reference table, and the positions of the sequences its columns own. */
final class ReferenceRows {

    private static final Set<Integer> UNQUOTED_TYPES = Set.of(
            Types.SMALLINT,
            Types.INTEGER,
            Types.BIGINT,
            Types.NUMERIC,
            Types.DECIMAL,
            Types.REAL,
            Types.FLOAT,
            Types.DOUBLE,
            Types.BIT,
            Types.BOOLEAN);

    private ReferenceRows() {}

    /**
     * The rows of {@code table} ({@code table} in the first of {@code schemas}, or
     * {@code schema.table}), inside the caller's {@link SnapshotReader#inReadTransaction}, or
     * {@code null} when the table does not exist.
     */
    static TableRows read(Connection connection, List<String> schemas, String table) throws SQLException {
        // a name as the user wrote it, each part an identifier as is (no case folding)
        String schema = table.contains(".") ? table.substring(0, table.indexOf('.')) : schemas.get(0);
        String name = table.contains(".") ? table.substring(table.indexOf('.') + 1) : table;
        String relation = null;
        List<String> keyColumns = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT c.oid::regclass::text AS relation, a.attname AS key_column FROM pg_catalog.pg_class c "
                        + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        + "LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary "
                        + "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey) "
                        + "WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p') "
                        + "ORDER BY array_position(i.indkey, a.attnum)")) {
            query.setString(1, schema);
            query.setString(2, name);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    relation = result.getString("relation");
                    if (result.getString("key_column") != null) {
                        keyColumns.add(result.getString("key_column"));
                    }
                }
            }
        }
        if (relation == null) {
            return null;
        }
        List<String> columns = new ArrayList<>();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        // without a primary key, the whole row orders the rows
        String order = keyColumns.isEmpty()
                ? "t::text"
                : String.join(", ", keyColumns.stream().map(Identifiers::quoted).toList());
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT * FROM " + relation + " t ORDER BY " + order)) {
            // the table's own columns, whatever their names: by position
            ResultSetMetaData meta = result.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
            }
            while (result.next()) {
                List<String> values = new ArrayList<>();
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String value = literal(result.getString(i), meta.getColumnType(i));
                    values.add(value);
                    if (keyColumns.contains(columns.get(i - 1))) {
                        key.add(value);
                    }
                }
                rows.put(TableRows.literal(key.isEmpty() ? values : key), values);
            }
        }
        return new TableRows(relation, schema, name, columns, keyColumns, rows, sequences(connection, relation));
    }

    /**
     * The last value of each sequence the columns of {@code relation} own, {@code null} when never
     * used. A sequence the reading role may not read (db-drift's role has only SELECT on the table)
     * is left out: reading its position would fail the whole snapshot.
     */
    private static Map<String, Long> sequences(Connection connection, String relation) throws SQLException {
        Map<String, Long> sequences = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT s.oid::regclass::text AS sequence, pg_catalog.pg_sequence_last_value(s.oid) AS last_value "
                        + "FROM pg_catalog.pg_depend d "
                        + "JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
                        + "WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refobjid = ?::regclass "
                        + "AND d.deptype IN ('a', 'i') "
                        + "AND CASE WHEN s.relkind = 'S' THEN pg_catalog.has_sequence_privilege(s.oid, 'SELECT, USAGE') END "
                        + "ORDER BY 1")) {
            query.setString(1, relation);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    long last = result.getLong("last_value");
                    Long position = result.wasNull() ? null : last;
                    sequences.put(result.getString("sequence"), position);
                }
            }
        }
        return sequences;
    }

    private static String literal(String value, int sqlType) {
        if (value == null) {
            return "NULL";
        }
        if (sqlType == Types.BIT || sqlType == Types.BOOLEAN) {
            return value.equals("t") || value.equals("true") ? "true" : "false";
        }
        return UNQUOTED_TYPES.contains(sqlType) ? value : "'" + value.replace("'", "''") + "'";
    }
}
