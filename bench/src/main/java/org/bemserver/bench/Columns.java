package org.bemserver.bench;

import java.util.List;

/**
 * The columns a generated table may have: a name, the types it comes in, how often it is NOT
 * NULL, its usual default and check, and whether it is a natural unique key.
 */
final class Columns {

    /**
     * @param name the column's name
     * @param types the SQL types it is declared with (one is drawn)
     * @param notNull how often it is NOT NULL (0..1)
     * @param defaultSql its usual default, or {@code null}
     * @param check a check over it ({@code {0}} is the column), or {@code null}
     * @param unique whether it makes a natural unique key
     */
    record Spec(String name, List<String> types, double notNull, String defaultSql, String check, boolean unique) {

        boolean isBoolean() {
            return types.get(0).equals("boolean");
        }

        boolean isIndexable() {
            return !types.get(0).equals("jsonb") && !isBoolean();
        }
    }

    static final List<Spec> ALL = List.of(
            new Spec(
                    "code",
                    List.of("varchar(16)", "varchar(32)", "varchar(64)"),
                    0.7,
                    null,
                    "char_length({0}) > 0",
                    true),
            new Spec("label", List.of("text"), 0.8, null, "char_length({0}) > 0", false),
            new Spec("description", List.of("text"), 0, null, null, false),
            new Spec("title", List.of("varchar(128)", "varchar(255)"), 0.5, null, null, false),
            new Spec("quantity", List.of("integer"), 0.5, "0", "{0} >= 0", false),
            new Spec("amount", List.of("numeric(12,2)", "numeric(14,4)"), 0.4, "0", "{0} >= 0", false),
            new Spec("ratio", List.of("numeric(5,4)"), 0, null, "{0} BETWEEN 0 AND 1", false),
            new Spec("unit_price", List.of("numeric(10,3)"), 0, null, "{0} > 0", false),
            new Spec("is_active", List.of("boolean"), 1, "true", null, false),
            new Spec("is_archived", List.of("boolean"), 1, "false", null, false),
            new Spec("enabled", List.of("boolean"), 0.5, "true", null, false),
            new Spec("created_at", List.of("timestamptz"), 1, "now()", null, false),
            new Spec("updated_at", List.of("timestamptz"), 0, null, null, false),
            new Spec("started_at", List.of("timestamptz"), 0, null, null, false),
            new Spec("ended_at", List.of("timestamptz"), 0, null, null, false),
            new Spec("start_date", List.of("date"), 0.5, "CURRENT_DATE", null, false),
            new Spec("end_date", List.of("date"), 0, null, null, false),
            new Spec("valid_from", List.of("date"), 0, "CURRENT_DATE", null, false),
            new Spec("payload", List.of("jsonb"), 1, "'{}'::jsonb", null, false),
            new Spec("attributes", List.of("jsonb"), 0, null, null, false),
            new Spec("counter", List.of("bigint"), 1, "0", "{0} >= 0", false),
            new Spec("total_count", List.of("bigint"), 0, null, null, false),
            new Spec("priority", List.of("integer"), 1, "0", "{0} BETWEEN 0 AND 10", false),
            new Spec("sort_rank", List.of("integer", "smallint"), 0, null, null, false),
            new Spec("latitude", List.of("numeric(9,6)"), 0, null, "{0} BETWEEN -90 AND 90", false),
            new Spec("longitude", List.of("numeric(9,6)"), 0, null, "{0} BETWEEN -180 AND 180", false),
            new Spec("email", List.of("varchar(254)"), 0, null, "{0} LIKE '%@%'", true),
            new Spec("phone", List.of("varchar(32)"), 0, null, null, false),
            new Spec("reference_number", List.of("varchar(40)"), 0.6, null, null, true),
            new Spec("notes", List.of("text"), 0, null, null, false),
            new Spec("external_id", List.of("varchar(64)", "bigint"), 0, null, null, true),
            new Spec("timezone", List.of("varchar(64)"), 1, "'UTC'", null, false),
            new Spec("capacity", List.of("numeric(10,2)"), 0, null, "{0} >= 0", false),
            new Spec("floor_area", List.of("numeric(10,2)"), 0, null, "{0} > 0", false),
            new Spec("serial_number", List.of("varchar(64)"), 0, null, null, true),
            new Spec("firmware_version", List.of("varchar(32)"), 0, null, null, false),
            new Spec("duration_seconds", List.of("integer"), 0, null, "{0} >= 0", false),
            new Spec("color", List.of("varchar(7)"), 0, "'#808080'", "char_length({0}) = 7", false),
            new Spec("weight", List.of("numeric(8,3)"), 0, null, "{0} > 0", false),
            new Spec("score", List.of("double precision", "real"), 0, null, null, false),
            new Spec("measured_on", List.of("date"), 0, null, null, false),
            new Spec("due_date", List.of("date"), 0, null, null, false),
            new Spec("revision_number", List.of("integer"), 1, "1", "{0} > 0", false),
            new Spec("category", List.of("varchar(32)"), 0, null, null, false),
            new Spec("status", List.of("varchar(16)"), 1, "'draft'", null, false),
            new Spec("level_count", List.of("smallint"), 0, "0", "{0} >= 0", false));

    private Columns() {}

    /** A default for a column of {@code type} that has none of its own (an added column gets one). */
    static String defaultFor(String type) {
        if (type.startsWith("varchar") || type.equals("text")) {
            return "''";
        }
        return switch (type) {
            case "boolean" -> "false";
            case "timestamptz" -> "now()";
            case "date" -> "CURRENT_DATE";
            case "jsonb" -> "'{}'::jsonb";
            default -> "0";
        };
    }
}
