package org.bemserver.schema.migrate;

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
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.Json;

/**
 * Whether a database is this plugin's to manage: its history table, or else what its managed
 * schemas already hold and what Alembic's {@code alembic_version} table says. A database whose
 * schemas hold objects but no history table (every Alembic-era BEMServer installation) must be
 * adopted with {@code db-baseline} before any goal changes it; every goal says so in these words.
 *
 * @param history the history table, for messages ({@code public.flyway_schema_history})
 * @param hasHistory whether the history table exists
 * @param schemas the managed schemas
 * @param schemaExists whether the first managed schema (where the history table goes) exists
 * @param tables the tables of the managed schemas, {@code alembic_version} not counted
 * @param objects every relation, routine and type of the managed schemas, extension members not
 *     counted (as Flyway does not count them when it decides whether a schema is empty)
 * @param alembicRevisions the rows of {@code alembic_version} in the first managed schema, or
 *     {@code null} when there is no such table (or it may not be read)
 * @param role the role the session runs as
 * @param mayCreateHistory whether that role may create the history table
 */
public record Adoption(
        String history,
        boolean hasHistory,
        List<String> schemas,
        boolean schemaExists,
        int tables,
        int objects,
        List<String> alembicRevisions,
        String role,
        boolean mayCreateHistory) {

    /** The name of Alembic's version table. */
    public static final String ALEMBIC_TABLE = "alembic_version";

    /** The start of a subquery that finds an object among an extension's members: as for Flyway, they do not count. */
    private static final String EXTENSION_MEMBER =
            "SELECT 1 FROM pg_catalog.pg_depend d WHERE d.deptype = 'e' AND d.classid = ";

    public Adoption {
        schemas = List.copyOf(schemas);
        alembicRevisions = alembicRevisions == null ? null : List.copyOf(alembicRevisions);
    }

    /** Reads it on {@code connection}, in two or three catalog queries; nothing is written. */
    static Adoption read(Connection connection, List<String> schemas, HistoryTable history) throws SQLException {
        String first = schemas.get(0);
        try (PreparedStatement query =
                connection.prepareStatement("WITH s AS (SELECT n.oid FROM pg_catalog.pg_namespace n "
                        + "WHERE n.nspname = ANY (?::text[])) "
                        + "SELECT current_user, "
                        + "pg_catalog.to_regclass(pg_catalog.format('%I.%I', ?::text, ?::text)) IS NOT NULL, "
                        + "EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?), "
                        + "(SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace IN (SELECT oid FROM s) "
                        + "AND c.relkind IN ('r', 'p') AND c.relname <> '" + ALEMBIC_TABLE + "'), "
                        + "(SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace IN (SELECT oid FROM s) "
                        + "AND NOT EXISTS (" + EXTENSION_MEMBER + "'pg_class'::regclass AND d.objid = c.oid)) "
                        + "+ (SELECT count(*) FROM pg_catalog.pg_proc p WHERE p.pronamespace IN (SELECT oid FROM s) "
                        + "AND NOT EXISTS (" + EXTENSION_MEMBER + "'pg_proc'::regclass AND d.objid = p.oid)) "
                        + "+ (SELECT count(*) FROM pg_catalog.pg_type t WHERE t.typnamespace IN (SELECT oid FROM s) "
                        + "AND t.typrelid = 0 AND t.typcategory <> 'A' "
                        + "AND NOT EXISTS (" + EXTENSION_MEMBER + "'pg_type'::regclass AND d.objid = t.oid)), "
                        + "(SELECT pg_catalog.has_table_privilege(a.oid, 'SELECT') FROM (SELECT pg_catalog.to_regclass("
                        + "pg_catalog.format('%I.%I', ?::text, '" + ALEMBIC_TABLE
                        + "')) AS oid) a WHERE a.oid IS NOT NULL), "
                        + "CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?) "
                        + "THEN pg_catalog.has_schema_privilege(?, 'CREATE') "
                        + "ELSE pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE') END")) {
            Array names = connection.createArrayOf("text", schemas.toArray());
            query.setArray(1, names);
            query.setString(2, first);
            query.setString(3, history.tableName());
            query.setString(4, first);
            query.setString(5, first);
            query.setString(6, first);
            query.setString(7, first);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                boolean alembic = result.getBoolean(6); // null (no table) reads as false
                return new Adoption(
                        history.displayName(),
                        result.getBoolean(2),
                        schemas,
                        result.getBoolean(3),
                        result.getInt(4),
                        result.getInt(5),
                        alembic ? alembicRevisions(connection, first) : null,
                        result.getString(1),
                        result.getBoolean(7));
            }
        }
    }

    /** The rows of {@code alembic_version}, oldest text first. */
    private static List<String> alembicRevisions(Connection connection, String schema) throws SQLException {
        List<String> revisions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT version_num::text FROM "
                        + Identifiers.qualified(schema, ALEMBIC_TABLE) + " ORDER BY 1")) {
            while (result.next()) {
                revisions.add(result.getString(1));
            }
        }
        return revisions;
    }

    /** Whether the schemas hold objects but no history table: a database to adopt with {@code db-baseline}. */
    public boolean unmanaged() {
        return !hasHistory && objects > 0;
    }

    /** The one revision {@code alembic_version} holds, or {@code null} (no table, empty, or branches). */
    public String alembicRevision() {
        return alembicRevisions != null && alembicRevisions.size() == 1 ? alembicRevisions.get(0) : null;
    }

    /**
     * What {@code db-current} prints for an unmanaged database, e.g. {@code Current revision: none
     * recorded by this plugin; alembic_version says 0.21: run db-baseline}.
     */
    public String currentLine() {
        String revision = alembicRevision();
        return "Current revision: none recorded by this plugin; "
                + (revision != null
                        ? ALEMBIC_TABLE + " says " + revision + ": run db-baseline"
                        : holds() + ": run db-baseline -Dbemserver.revision=<the revision it holds>");
    }

    /** Why a goal that changes or compares the database stops on an unmanaged one; nothing was changed. */
    public String refusal() {
        String revision = alembicRevision();
        return "The database has no history table " + history + " but " + holds()
                + (revision != null ? " (" + ALEMBIC_TABLE + " says " + revision + ")" : "")
                + ": adopt it with db-baseline first, which proves the revision it holds and records it; "
                + "nothing was changed";
    }

    /** {@code schema public holds 53 tables}. */
    String holds() {
        String where = schemas.size() == 1 ? "schema " + schemas.get(0) : "schemas " + String.join(", ", schemas);
        if (tables > 0) {
            return where + " holds " + tables + " table" + (tables == 1 ? "" : "s");
        }
        return where + " holds " + (alembicRevisions != null ? "Alembic's " + ALEMBIC_TABLE : "objects");
    }

    /** {@code db-current}'s JSON document for an unmanaged database ({@code "state":"unmanaged"}). */
    public String toJson(RevisionStatus status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("current", null);
        json.put("head", status.head());
        json.put("pending", status.pendingRevisions());
        json.put("state", "unmanaged");
        json.put("alembicVersion", alembicRevisions);
        json.put("message", currentLine());
        return Json.write(json);
    }
}
