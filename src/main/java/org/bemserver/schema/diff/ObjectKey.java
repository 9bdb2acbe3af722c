package org.bemserver.schema.diff;

import java.util.Objects;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;

/**
 * What identifies an object across two snapshots, as a value. A snapshot keys its maps by the
 * text {@code KIND|schema|table|name} ({@link DbObject#key()}): this is read from that text once,
 * and {@link #toString()} gives it back for the snapshot's maps.
 *
 * <p>Keys sort as their text does, not part by part: the order of a script's steps breaks ties by
 * key, and {@code event|} sorts after {@code events} where {@code event} sorts before it.
 *
 * @param kind what the object is
 * @param schema its schema, or {@code null} for a schema or an extension
 * @param table the table (or routine, or schema, for a privilege) it belongs to, or {@code null}
 * @param name its name
 */
record ObjectKey(Kind kind, String schema, String table, String name) implements Comparable<ObjectKey> {

    ObjectKey {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(name);
        // the text cannot tell null from the word: neither can the key, so that keys equal when their texts do
        schema = orNull(schema);
        table = orNull(table);
    }

    static ObjectKey of(DbObject object) {
        return new ObjectKey(object.kind(), object.schema(), object.table(), object.name());
    }

    /** Reads a snapshot's key; {@code null} is written as the word, as {@link DbObject#key()} does. */
    static ObjectKey parse(String key) {
        String[] parts = key.split("\\|", 4);
        return new ObjectKey(Kind.valueOf(parts[0]), orNull(parts[1]), orNull(parts[2]), parts[3]);
    }

    static ObjectKey table(String schema, String name) {
        return new ObjectKey(Kind.TABLE, schema, null, name);
    }

    static ObjectKey schema(String name) {
        return new ObjectKey(Kind.SCHEMA, null, null, name);
    }

    /** The key of what a privilege is on (a view's privileges are keyed as its table's). */
    static ObjectKey subjectOf(DbObject privilege) {
        return switch (String.valueOf(privilege.properties().get("on"))) {
            case "schema" -> schema(privilege.table());
            case "function", "procedure" -> new ObjectKey(Kind.FUNCTION, privilege.schema(), null, privilege.table());
            default -> table(privilege.schema(), privilege.table());
        };
    }

    /** The table this object belongs to (for a column, constraint, index, trigger, policy). */
    ObjectKey tableKey() {
        return table(schema, table);
    }

    /** Whether this object belongs to the table. */
    boolean belongsTo(ObjectKey tableKey) {
        return Objects.equals(schema, tableKey.schema) && tableKey.name.equals(String.valueOf(table));
    }

    @Override
    public int compareTo(ObjectKey other) {
        return toString().compareTo(other.toString());
    }

    /** The snapshot's key: {@code KIND|schema|table|name}. */
    @Override
    public String toString() {
        return kind + "|" + schema + "|" + table + "|" + name;
    }

    private static String orNull(String part) {
        return "null".equals(part) ? null : part;
    }
}
