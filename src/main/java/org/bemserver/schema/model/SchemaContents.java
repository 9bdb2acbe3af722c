package org.bemserver.schema.model;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bemserver.schema.SqlResource;

/** What the managed schemas hold, and how to empty them, read from the catalog in one query. */
final class SchemaContents {

    private static final String QUERY = SqlResource.read(SchemaContents.class, "schema-objects.sql");
    private static final String OUTSIDE_DEPENDENTS = SqlResource.read(SchemaContents.class, "outside-dependents.sql");

    private SchemaContents() {}

    /** The objects of {@code schemas}, extension members excluded, in drop order. */
    static List<SchemaObject> read(Connection connection, List<String> schemas) throws SQLException {
        List<SchemaObject> objects = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(QUERY)) {
            Array names = connection.createArrayOf("text", schemas.toArray());
            query.setArray(1, names);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    objects.add(new SchemaObject(
                            result.getString(1), result.getString(2), result.getString(3), result.getString(4)));
                }
            }
        }
        return objects;
    }

    /** Objects of other schemas that depend on the managed ones, as PostgreSQL describes them. */
    static List<String> dependentsOutside(Connection connection, List<String> schemas) throws SQLException {
        List<String> dependents = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(OUTSIDE_DEPENDENTS)) {
            Array names = connection.createArrayOf("text", schemas.toArray());
            query.setArray(1, names);
            query.setArray(2, names);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    dependents.add(result.getString(1));
                }
            }
        }
        return dependents;
    }

    /** Drops every object; CASCADE takes what depends on them (constraints, triggers, owned sequences). */
    static void drop(Connection connection, List<SchemaObject> objects) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (SchemaObject object : objects) {
                statement.execute(object.dropStatement());
            }
        }
    }

    /** {@code 12 tables, 1 view in schema public; 2 types in schema core}. */
    static String describe(List<SchemaObject> objects) {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (SchemaObject object : objects) {
            counts.computeIfAbsent(object.schema(), s -> new LinkedHashMap<>()).merge(object.kind(), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((schema, kinds) -> {
            List<String> items = new ArrayList<>();
            kinds.forEach((kind, count) -> items.add(count + " " + plural(kind, count)));
            parts.add(String.join(", ", items) + " in schema " + schema);
        });
        return String.join("; ", parts);
    }

    private static String plural(String kind, int count) {
        return count == 1 ? kind : kind.endsWith("s") ? kind + "es" : kind + "s";
    }
}
