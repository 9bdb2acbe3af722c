package org.bemserver.schema.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a reference table (default rows), keyed by primary key, each value as a SQL literal
 * ({@code 3}, {@code 'Validated'}, {@code NULL}), plus the positions of the sequences its columns
 * own.
 *
 * @param table the qualified table name, as PostgreSQL writes it ({@code public.ts_props})
 * @param schema the table's schema
 * @param name the table's name
 * @param columns its columns, in order
 * @param keyColumns the primary key's columns (empty: the whole row is the key)
 * @param rows the values of each row, by the row's key (its key values, joined), in key order
 * @param sequences by qualified sequence name: its last value, or {@code null} when never used
 */
public record TableRows(
        String table,
        String schema,
        String name,
        List<String> columns,
        List<String> keyColumns,
        Map<String, List<String>> rows,
        Map<String, Long> sequences) {

    public TableRows {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
        sequences = Collections.unmodifiableMap(new LinkedHashMap<>(sequences));
    }

    /** The values of a row by column name. */
    public Map<String, String> byColumn(List<String> values) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.size() && i < values.size(); i++) {
            row.put(columns.get(i), values.get(i));
        }
        return row;
    }

    /** The key of the table's snapshot object. */
    public String tableKey() {
        return "TABLE|" + schema + "|null|" + name;
    }

    /** A row as a SQL row literal: {@code (3, 'Validated')}. */
    public static String literal(List<String> values) {
        return "(" + String.join(", ", values) + ")";
    }
}
