package org.bemserver.schema;

import java.util.Set;

/**
 * Writes SQL identifiers: as PostgreSQL's {@code quote_ident} does (bare when it can, quoted when it
 * must), or always quoted, for text that must not depend on the key word list (Flyway's lock key).
 */
public final class Identifiers {

    /**
     * PostgreSQL's reserved key words and those that cannot be a bare type or function name
     * ({@code pg_get_keywords()} categories R and T), which cannot name a column or table bare.
     */
    private static final Set<String> RESERVED = Set.of(
            "all",
            "analyse",
            "analyze",
            "and",
            "any",
            "array",
            "as",
            "asc",
            "asymmetric",
            "both",
            "case",
            "cast",
            "check",
            "collate",
            "column",
            "constraint",
            "create",
            "current_catalog",
            "current_date",
            "current_role",
            "current_time",
            "current_timestamp",
            "current_user",
            "default",
            "deferrable",
            "desc",
            "distinct",
            "do",
            "else",
            "end",
            "except",
            "false",
            "fetch",
            "for",
            "foreign",
            "from",
            "grant",
            "group",
            "having",
            "in",
            "initially",
            "intersect",
            "into",
            "lateral",
            "leading",
            "limit",
            "localtime",
            "localtimestamp",
            "not",
            "null",
            "offset",
            "on",
            "only",
            "or",
            "order",
            "placing",
            "primary",
            "references",
            "returning",
            "select",
            "session_user",
            "some",
            "symmetric",
            "system_user",
            "table",
            "then",
            "to",
            "trailing",
            "true",
            "union",
            "unique",
            "user",
            "using",
            "variadic",
            "when",
            "where",
            "window",
            "with",
            "authorization",
            "binary",
            "collation",
            "concurrently",
            "cross",
            "current_schema",
            "freeze",
            "full",
            "ilike",
            "inner",
            "is",
            "isnull",
            "join",
            "left",
            "like",
            "natural",
            "notnull",
            "outer",
            "overlaps",
            "right",
            "similar",
            "tablesample",
            "verbose");

    private Identifiers() {}

    /** {@code name}, or {@code "Name"} when it must be quoted. */
    public static String quote(String identifier) {
        if (identifier.matches("[a-z_][a-z0-9_$]*") && !RESERVED.contains(identifier)) {
            return identifier;
        }
        return quoted(identifier);
    }

    /** {@code "name"}: always quoted, inner quotes doubled. */
    public static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * {@code 'text'}: a string literal, inner quotes doubled (standard-conforming strings, as every
     * PostgreSQL since 9.1 reads them).
     */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * {@code E'text'}: an escape string literal, backslashes and quotes doubled, which reads the same
     * whatever {@code standard_conforming_strings} a script set.
     */
    public static String escapedLiteral(String text) {
        return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** {@code schema.name}, each part quoted as needed. */
    public static String qualified(String schema, String name) {
        return schema == null ? quote(name) : quote(schema) + "." + quote(name);
    }
}
