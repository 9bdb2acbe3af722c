package org.bemserver.schema.diff;

import java.util.List;

/**
 * A table whose common columns come in another order (a column added by a migration lands last,
 * where a model may put it in the middle).
 *
 * @param table the qualified table
 * @param before the columns in the first snapshot's order
 * @param after the columns in the second snapshot's order
 */
public record ColumnOrderChange(String table, List<String> before, List<String> after) {

    public ColumnOrderChange {
        before = List.copyOf(before);
        after = List.copyOf(after);
    }
}
