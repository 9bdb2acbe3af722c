package org.bemserver.schema.diff;

import java.util.List;

/**
 * How the rows of a reference table differ between two snapshots.
 *
 * @param table the qualified table
 * @param added rows only in the second snapshot
 * @param removed rows only in the first
 * @param changed rows whose key is in both, as {@code before -> after}
 * @param sequences sequence positions that differ, as {@code sequence: before -> after}
 */
public record RowsChange(
        String table, List<String> added, List<String> removed, List<String> changed, List<String> sequences) {

    public RowsChange {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        sequences = List.copyOf(sequences);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && sequences.isEmpty();
    }
}
