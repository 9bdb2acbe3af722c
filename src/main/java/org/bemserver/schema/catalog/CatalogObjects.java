package org.bemserver.schema.catalog;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects of a snapshot, made from the rows of the catalog queries: each query's rows become
 * objects of one kind, whatever source the rows come from. When tracking, each object's key is
 * also kept under the OID of its owner (the {@code owner} column), for a {@link TrackedSnapshot}.
 */
final class CatalogObjects {

    private static final Map<String, String> CONSTRAINT_LABELS = Map.of(
            "p",
            "primary key",
            "u",
            "unique constraint",
            "f",
            "foreign key",
            "c",
            "check constraint",
            "x",
            "exclusion constraint");

    private static final Map<String, String> TRIGGER_STATES =
            Map.of("O", "enabled", "D", "disabled", "R", "enabled on replica", "A", "enabled always");

    private final Set<String> excludedTables;
    private final Map<String, DbObject> objects = new HashMap<>();
    private final Map<String, List<String>> columnOrder = new LinkedHashMap<>();
    /** For each owner's OID, the keys of its objects; {@code null} when not tracking. */
    private final Map<Long, Set<String>> owned;

    private CatalogObjects(Set<String> excludedTables, boolean tracking) {
        this.excludedTables = excludedTables;
        this.owned = tracking ? new HashMap<>() : null;
    }

    /** Objects for a snapshot, the tables {@code excludedTables} ({@code schema.table}) left out. */
    static CatalogObjects untracked(Set<String> excludedTables) {
        return new CatalogObjects(excludedTables, false);
    }

    /** The same, each object's key also kept under its owner's OID. */
    static CatalogObjects tracked(Set<String> excludedTables) {
        return new CatalogObjects(excludedTables, true);
    }

    /** Reads the objects of the queries {@code queries} from {@code source}, in reading order. */
    CatalogObjects read(RowSource source, Collection<String> queries) throws SQLException {
        for (String query : CatalogQueries.OBJECTS) {
            if (queries.contains(query)) {
                source.forEach(query, handler(query));
            }
        }
        return this;
    }

    /** Every object by key. */
    Map<String, DbObject> objects() {
        return objects;
    }

    /** Each table's columns in order, by {@code schema.table}. */
    Map<String, List<String>> columnOrder() {
        return columnOrder;
    }

    /**
     * For each owner's OID, the keys of its objects, and {@link SnapshotReader.Owned#ORDER}
     * {@code schema.table} for the column order of a table; {@code null} when not tracking.
     */
    Map<Long, Set<String>> owned() {
        return owned;
    }

    private RowSource.RowHandler handler(String query) {
        return switch (query) {
            case "schemas" -> r -> add(r, Kind.SCHEMA, "schema", null, null, props("comment", r.text("comment")));
            case "extensions" ->
                r -> add(
                        r,
                        Kind.EXTENSION,
                        "extension",
                        null,
                        null,
                        props("schema", r.text("schema"), "version", r.text("version"), "comment", r.text("comment")));
            case "collations" ->
                r -> add(
                        r,
                        Kind.COLLATION,
                        "collation",
                        r.text("schema"),
                        null,
                        props("definition", r.text("definition"), "comment", r.text("comment")));
            case "types" -> this::type;
            case "sequences" ->
                r -> add(
                        r,
                        Kind.SEQUENCE,
                        "sequence",
                        r.text("schema"),
                        null,
                        props(
                                "options",
                                r.text("options"),
                                "owned by",
                                r.text("owned_by"),
                                "comment",
                                r.text("comment")));
            case "tables" -> this::table;
            case "columns" -> this::column;
            case "indexes" ->
                r -> {
                    if (!isExcluded(r)) {
                        add(
                                r,
                                Kind.INDEX,
                                "index",
                                r.text("schema"),
                                r.text("table"),
                                props(
                                        "definition",
                                        r.text("definition"),
                                        "invalid",
                                        flag(!r.isTrue("valid")),
                                        "comment",
                                        r.text("comment")));
                    }
                };
            case "views" ->
                r -> add(
                        r,
                        Kind.VIEW,
                        r.text("kind"),
                        r.text("schema"),
                        null,
                        props(
                                "definition", r.text("definition"),
                                "options", emptyToNull(r.text("options")),
                                "with no data", flag(!r.isTrue("populated")),
                                "comment", r.text("comment")));
            case "functions" ->
                r -> add(
                        r,
                        Kind.FUNCTION,
                        r.text("kind"),
                        r.text("schema"),
                        null,
                        r.text("name") + "(" + r.text("arguments") + ")",
                        props("body", r.text("definition"), "comment", r.text("comment")));
            case "triggers" ->
                r -> add(
                        r,
                        Kind.TRIGGER,
                        "trigger",
                        r.text("schema"),
                        r.text("table"),
                        props(
                                "definition", r.text("definition"),
                                "state", "O".equals(r.text("enabled")) ? null : TRIGGER_STATES.get(r.text("enabled")),
                                "comment", r.text("comment")));
            case "policies" ->
                r -> add(
                        r,
                        Kind.POLICY,
                        "policy",
                        r.text("schema"),
                        r.text("table"),
                        props("definition", r.text("definition"), "comment", r.text("comment")));
            case "privileges" ->
                r -> {
                    // the grants on a table left out (the history, which db-drift's role reads) go with it
                    if (!excludedTables.contains(r.text("schema") + "." + r.text("object"))) {
                        add(
                                r,
                                Kind.PRIVILEGE,
                                "privileges",
                                r.text("schema"),
                                r.text("object"),
                                r.text("grantee"),
                                props("granted", r.text("granted"), "on", r.text("granted_on")));
                    }
                };
            case "constraints" ->
                r -> {
                    if (!isExcluded(r)) {
                        add(
                                r,
                                Kind.CONSTRAINT,
                                CONSTRAINT_LABELS.get(r.text("type")),
                                r.text("schema"),
                                r.text("table"),
                                props("definition", r.text("definition"), "comment", r.text("comment")));
                    }
                };
            default -> throw new IllegalArgumentException("no objects come from catalog query " + query);
        };
    }

    private void type(CatalogRow r) {
        Map<String, String> properties = props(
                "definition",
                r.text("definition"),
                "default",
                r.text("default_value"),
                "not null",
                flag(r.isTrue("not_null")));
        if (r.text("checks") != null) {
            // a property per check constraint of a domain: each is added or dropped by its name
            for (String constraint : r.text("checks").split("\u001f")) {
                String[] parts = constraint.split("\u001e", 2);
                properties.put("constraint " + parts[0], parts[1]);
            }
        }
        properties.put("comment", r.text("comment"));
        add(r, Kind.TYPE, r.text("kind"), r.text("schema"), null, properties);
    }

    private void table(CatalogRow r) {
        if (excludedTables.contains(r.text("schema") + "." + r.text("name"))) {
            return;
        }
        add(
                r,
                Kind.TABLE,
                r.text("kind"),
                r.text("schema"),
                null,
                props(
                        "unlogged", flag(r.isTrue("unlogged")),
                        "row level security", flag(r.isTrue("row_security")),
                        "forced row level security", flag(r.isTrue("forced_row_security")),
                        "partition key", r.text("partition_key"),
                        "partition of", r.text("partition_of"),
                        "inherits", r.text("inherits"),
                        "of", r.text("of_type"),
                        "options", emptyToNull(r.text("options")),
                        "comment", r.text("comment")));
    }

    private void column(CatalogRow r) {
        if (isExcluded(r)) {
            return;
        }
        String table = r.text("schema") + "." + r.text("table");
        columnOrder.computeIfAbsent(table, t -> new ArrayList<>()).add(r.text("name"));
        if (owned != null) {
            owned.computeIfAbsent(r.owner(), o -> new HashSet<>()).add(SnapshotReader.Owned.ORDER + table);
        }
        String identity = switch (r.text("identity")) {
            case "a" -> "always";
            case "d" -> "by default";
            default -> null;
        };
        String generated = r.text("generated");
        add(
                r,
                Kind.COLUMN,
                "column",
                r.text("schema"),
                r.text("table"),
                props(
                        "type", r.text("type"),
                        "not null", flag(r.isTrue("not_null")),
                        "default", r.text("default_value"),
                        "identity", identity,
                        "identity options", emptyToNull(r.text("identity_options")),
                        "generated",
                                generated == null
                                        ? null
                                        : generated + ("v".equals(r.text("generated_kind")) ? " VIRTUAL" : ""),
                        "collation", r.text("collation"),
                        "comment", r.text("comment")));
    }

    /** Whether the row is of a table left out. */
    private boolean isExcluded(CatalogRow r) {
        return excludedTables.contains(r.text("schema") + "." + r.text("table"));
    }

    /** Adds the object the row names (its {@code name} column). */
    private void add(
            CatalogRow r, Kind kind, String label, String schema, String table, Map<String, String> properties) {
        add(r, kind, label, schema, table, r.text("name"), properties);
    }

    private void add(
            CatalogRow r,
            Kind kind,
            String label,
            String schema,
            String table,
            String name,
            Map<String, String> properties) {
        DbObject object = new DbObject(kind, label, schema, table, name, properties);
        objects.put(object.key(), object);
        if (owned != null) {
            owned.computeIfAbsent(r.owner(), o -> new HashSet<>()).add(object.key());
        }
    }

    private static String flag(boolean value) {
        return value ? "yes" : null;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Map<String, String> props(String... pairs) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.put(pairs[i], pairs[i + 1]);
        }
        return properties;
    }
}
