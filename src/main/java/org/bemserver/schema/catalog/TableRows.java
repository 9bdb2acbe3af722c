package org.bemserver.schema.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a reference table (default rows), keyed by primary key, each rendered as a SQL row
 * literal ({@code (3, 'Validated')}), plus the positions of the sequences its columns own.
 *
 * @param table the qualified table name
 * @param columns its columns, in order
 * @param rows row literal by primary-key literal, in key order
 * @param sequences {@code last_value, is_called} by qualified sequence name
 */
public record TableRows(String table, List<String> columns, Map<String, String> rows, Map<String, String> sequences) {

    public TableRows {
        columns = List.copyOf(columns);
        rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
        sequences = Collections.unmodifiableMap(new LinkedHashMap<>(sequences));
    }
}
