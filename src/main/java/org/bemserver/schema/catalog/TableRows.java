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
 * @param columns its columns, in order
 * @param keyColumns the primary key's columns (empty: the whole row is the key)
 * @param rows the values of each row, by the row's key (its key values, joined), in key order
 * @param sequences by qualified sequence name: its last value, or {@code null} when never used
 */
public record TableRows(
        String table, List<String> columns, List<String> keyColumns, Map<String, List<String>> rows,
        Map<String, Long> sequences) {

    public TableRows {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
        sequences = Collections.unmodifiableMap(new LinkedHashMap<>(sequences));
    }

    /** A row as a SQL row literal: {@code (3, 'Validated')}. */
    public static String literal(List<String> values) {
        return "(" + String.join(", ", values) + ")";
    }
}
