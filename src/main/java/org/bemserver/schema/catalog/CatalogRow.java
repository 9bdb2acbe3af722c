package org.bemserver.schema.catalog;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A row of a catalog query, its values as text, read by column name (the names the query's
 * {@code .sql} resource gives its columns); the rows of one result share their column names.
 *
 * @param columns the position of each column, by name
 * @param values the row's values, as PostgreSQL writes them in text ({@code t} for true)
 */
record CatalogRow(Map<String, Integer> columns, String[] values) {

    /** The positions of the columns of {@code result}, by name, for the rows read from it. */
    static Map<String, Integer> columnsOf(ResultSet result) throws SQLException {
        ResultSetMetaData meta = result.getMetaData();
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.put(meta.getColumnLabel(i), i - 1);
        }
        return Map.copyOf(columns);
    }

    /** The current row of {@code result}, whose columns are {@code columns}. */
    static CatalogRow read(ResultSet result, Map<String, Integer> columns) throws SQLException {
        String[] values = new String[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = result.getString(i + 1);
        }
        return new CatalogRow(columns, values);
    }

    /** The value of {@code column}, or {@code null}. */
    String text(String column) {
        Integer position = columns.get(column);
        if (position == null) {
            throw new IllegalArgumentException(
                    "no column " + column + " in this catalog query, only " + columns.keySet());
        }
        return values[position];
    }

    /** Whether the boolean {@code column} is true. */
    boolean isTrue(String column) {
        String value = text(column);
        return "t".equals(value) || "true".equals(value);
    }

    /** The OID of the object the row belongs to: its table for a column, itself for a table. */
    long owner() {
        return Long.parseLong(text("owner"));
    }
}
