package org.bemserver.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text picture of a schema read from the catalog, for tests that compare two databases
 * (e.g. one upgraded from empty and one built from the model). Columns are listed by name in
 * their relative order, never by attnum, so dropped columns leave no trace; the history table and
 * the objects of extensions are left out.
 */
public final class SchemaFingerprint {

    private static final String HISTORY = "flyway_schema_history";

    private SchemaFingerprint() {}

    public static List<String> of(TestServer server, String database, String schema) {
        String ns = "'" + schema + "'";
        List<String> lines = new ArrayList<>();
        add(lines, "type", server.column(database, """
                SELECT t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
                 WHERE n.nspname = %s GROUP BY t.typname ORDER BY 1""".formatted(ns)));
        add(lines, "column", server.column(database, """
                SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                       || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
                       || ' #' || row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum)
                  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE n.nspname = %s AND c.relkind IN ('r', 'v', 'm', 'p') AND a.attnum > 0
                   AND NOT a.attisdropped AND c.relname <> '%s'
                 ORDER BY 1""".formatted(ns, HISTORY)));
        // PostgreSQL 18 also records each NOT NULL as a named constraint (contype 'n'), whose name
        // follows the table's name at creation and survives a rename: nullability is in the
        // columns above, as the engine's snapshot compares it.
        add(lines, "constraint", server.column(database, """
                SELECT c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
                  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = %s AND c.relname <> '%s' AND k.contype <> 'n' ORDER BY 1""".formatted(ns, HISTORY)));
        add(lines, "index", server.column(database, """
                SELECT pg_get_indexdef(i.indexrelid)
                  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = %s AND c.relname <> '%s' ORDER BY 1""".formatted(ns, HISTORY)));
        add(lines, "view", server.column(database, """
                SELECT c.relname || ' ' || pg_get_viewdef(c.oid)
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = %s AND c.relkind IN ('v', 'm') ORDER BY 1""".formatted(ns)));
        add(lines, "sequence", server.column(database, """
                SELECT s.sequencename || ' ' || s.data_type || ' last ' || coalesce(s.last_value::text, 'unset')
                  FROM pg_sequences s WHERE s.schemaname = %s AND s.sequencename NOT LIKE '%s%%'
                 ORDER BY 1""".formatted(ns, HISTORY)));
        add(lines, "function", server.column(database, """
                SELECT pg_get_functiondef(p.oid)
                  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = %s AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
                 ORDER BY 1""".formatted(ns)));
        add(lines, "trigger", server.column(database, """
                SELECT pg_get_triggerdef(t.oid)
                  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = %s AND NOT t.tgisinternal ORDER BY 1""".formatted(ns)));
        return lines;
    }

    /** The rows of a table as text, ordered by its first column. */
    public static List<String> rows(TestServer server, String database, String table) {
        return server.column(database, "SELECT t::text FROM " + table + " t ORDER BY 1");
    }

    private static void add(List<String> lines, String kind, List<String> values) {
        values.forEach(value -> lines.add(kind + " " + value));
    }
}
