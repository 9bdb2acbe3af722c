package org.bemserver.schema.diff;

import java.util.List;
import org.bemserver.schema.catalog.DbObject;

/**
 * One difference between two snapshots.
 *
 * @param type what happened to the object
 * @param before the object in the first snapshot, or {@code null} when added
 * @param after the object in the second snapshot, or {@code null} when removed
 * @param properties for a changed object, the properties that differ
 */
public record Change(Type type, DbObject before, DbObject after, List<PropertyChange> properties) {

    public enum Type {
        ADDED,
        REMOVED,
        CHANGED,
        /** The same definition under another name. */
        RENAMED
    }

    public Change {
        properties = List.copyOf(properties);
    }

    /** The object as it is in the second snapshot (or was, when removed). */
    public DbObject object() {
        return after != null ? after : before;
    }
}
