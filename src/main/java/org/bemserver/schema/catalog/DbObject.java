package org.bemserver.schema.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One object of a snapshot, keyed by name (never by OID), with the properties that make two
 * objects equal, as PostgreSQL's own deparsers write them.
 *
 * @param kind what it is
 * @param label the word users know it by ({@code table}, {@code materialized view}, {@code enum},
 *     {@code procedure}, ...)
 * @param schema its schema, or {@code null} for a schema or an extension
 * @param table the table it belongs to (columns, constraints, triggers, policies, privileges,
 *     indexes), or {@code null}; for privileges on a routine the routine with its arguments, on a
 *     schema the schema (whose privileges have a {@code null} schema)
 * @param name its name; a function's includes its argument types ({@code f(integer)}), a privilege's
 *     is its grantee
 * @param properties what is compared, in display order; absent properties are left out
 */
public record DbObject(
        Kind kind, String label, String schema, String table, String name, Map<String, String> properties) {

    public DbObject {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(name);
        Map<String, String> present = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (value != null) {
                present.put(key, value);
            }
        });
        properties = Collections.unmodifiableMap(present);
    }

    /** What identifies the object across two snapshots. */
    public String key() {
        return kind + "|" + schema + "|" + table + "|" + name;
    }

    /** {@code public.sites}, {@code public.sites.timezone}, {@code pk_sites on public.sites}. */
    public String displayName() {
        String qualified = schema == null ? name : schema + "." + name;
        if (table == null) {
            return qualified;
        }
        return switch (kind) {
            case COLUMN -> schema + "." + table + "." + name;
            case PRIVILEGE -> "on " + (schema == null ? "schema " + table : schema + "." + table) + " to " + name;
            case INDEX -> qualified;
            default -> name + " on " + schema + "." + table;
        };
    }

    /** The same object with {@code text} written {@code as} in its properties; itself when none holds it. */
    DbObject writing(String text, String as) {
        if (properties.values().stream().noneMatch(value -> value.contains(text))) {
            return this;
        }
        Map<String, String> written = new LinkedHashMap<>();
        properties.forEach((key, value) -> written.put(key, value.replace(text, as)));
        return new DbObject(kind, label, schema, table, name, written);
    }

    /** The same object under another name, for rename detection. */
    DbObject renamed(String newName) {
        return new DbObject(kind, label, schema, table, newName, properties);
    }
}
