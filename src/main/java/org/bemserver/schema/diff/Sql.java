package org.bemserver.schema.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;

/**
 * The text of the statements a script is made of, from the objects of a snapshot alone: what to
 * write, never whether or when (that is {@link ChangePlan} and {@link StepGraph}).
 */
final class Sql {

    private static final Pattern IDENTITY_OPTION =
            Pattern.compile("(INCREMENT BY|MINVALUE|MAXVALUE|START WITH|CACHE) (-?\\d+)");
    private static final String GRANT_OPTION = " WITH GRANT OPTION";
    private static final Pattern NEXTVAL = Pattern.compile("nextval\\('((?:[^']|'')+)'::regclass\\)");

    private Sql() {}

    /**
     * The statements that create an object as the target has it, comments included.
     *
     * @param columns for a table, its columns in order (written in its CREATE TABLE)
     */
    static List<String> create(DbObject object, List<DbObject> columns) {
        List<String> sql = new ArrayList<>();
        String name = name(object);
        Map<String, String> p = object.properties();
        switch (object.kind()) {
            case SCHEMA -> sql.add("CREATE SCHEMA " + Identifiers.quote(object.name()));
            case EXTENSION ->
                sql.add("CREATE EXTENSION IF NOT EXISTS " + Identifiers.quote(object.name()) + " WITH SCHEMA "
                        + Identifiers.quote(p.get("schema")) + " VERSION " + literal(p.get("version")));
            case COLLATION -> sql.add("CREATE COLLATION " + name + " (" + p.get("definition") + ")");
            case TYPE -> sql.add(createType(object));
            case SEQUENCE -> sql.add("CREATE SEQUENCE " + name + " " + p.get("options"));
            case TABLE -> sql.add(createTable(object, columns));
            case COLUMN -> sql.add("ALTER TABLE " + table(object) + " ADD COLUMN " + columnDefinition(object));
            case CONSTRAINT ->
                sql.add("ALTER TABLE " + table(object) + " ADD CONSTRAINT " + Identifiers.quote(object.name()) + " "
                        + p.get("definition"));
            case INDEX -> sql.add(p.get("definition"));
            case VIEW ->
                sql.add("CREATE " + object.label().toUpperCase(Locale.ROOT) + " " + name
                        + (p.containsKey("options") ? " WITH (" + p.get("options") + ")" : "") + " AS\n"
                        + stripSemicolon(p.get("definition"))
                        + (object.label().equals("materialized view")
                                ? (p.containsKey("with no data") ? "\nWITH NO DATA" : "\nWITH DATA")
                                : ""));
            case FUNCTION ->
                sql.add(
                        object.label().equals("aggregate")
                                ? "CREATE AGGREGATE " + name + arguments(object) + " (" + p.get("body") + ")"
                                : p.get("body").stripTrailing());
            case TRIGGER -> {
                sql.add(p.get("definition"));
                if (p.containsKey("state")) {
                    sql.add(triggerState(object));
                }
            }
            case POLICY ->
                sql.add("CREATE POLICY " + Identifiers.quote(object.name()) + " ON " + table(object) + " "
                        + p.get("definition"));
            case PRIVILEGE -> {
                if (isRoutinePublic(object)) {
                    // PUBLIC may run a new routine: take that away before granting what the target has
                    sql.add("REVOKE ALL ON " + privilegeTarget(object) + " FROM PUBLIC");
                }
                sql.addAll(grants(object));
            }
        }
        if (object.kind() == Kind.TYPE && object.label().equals("domain")) {
            // CREATE DOMAIN takes no NOT VALID check: such a check is added after
            TypeDefinitions.domainConstraints(object).forEach((constraint, definition) -> {
                if (definition.endsWith(" NOT VALID")) {
                    sql.add("ALTER DOMAIN " + name + " ADD CONSTRAINT " + Identifiers.quote(constraint) + " "
                            + definition);
                }
            });
        }
        if (object.kind() == Kind.TABLE) {
            for (DbObject column : columns) {
                if (column.properties().containsKey("comment")) {
                    sql.add(comment(column, column.properties().get("comment")));
                }
            }
        }
        if (p.containsKey("comment") && object.kind() != Kind.PRIVILEGE) {
            sql.add(comment(object, p.get("comment")));
        }
        return sql;
    }

    private static String createType(DbObject type) {
        Map<String, String> p = type.properties();
        String name = name(type);
        return switch (type.label()) {
            case "enum" -> "CREATE TYPE " + name + " AS ENUM (" + p.get("definition") + ")";
            case "domain" ->
                "CREATE DOMAIN " + name + " AS " + p.get("definition")
                        + (p.containsKey("default") ? " DEFAULT " + p.get("default") : "")
                        + (p.containsKey("not null") ? " NOT NULL" : "")
                        + String.join(
                                "",
                                TypeDefinitions.domainConstraints(type).entrySet().stream()
                                        .filter(c -> !c.getValue().endsWith(" NOT VALID"))
                                        .map(c -> " CONSTRAINT " + Identifiers.quote(c.getKey()) + " " + c.getValue())
                                        .toList());
            case "composite" -> "CREATE TYPE " + name + " AS (" + p.get("definition") + ")";
            default -> "CREATE TYPE " + name + " AS RANGE (" + p.get("definition") + ")";
        };
    }

    private static String createTable(DbObject table, List<DbObject> columnObjects) {
        Map<String, String> p = table.properties();
        String name = name(table);
        if (p.containsKey("partition of")) {
            String of = p.get("partition of");
            return "CREATE TABLE " + name + " PARTITION OF " + of
                    + (p.containsKey("partition key") ? " PARTITION BY " + p.get("partition key") : "");
        }
        boolean typed = p.containsKey("of");
        // a typed table takes its columns from its type: only their options are written
        List<String> columns = typed
                ? columnObjects.stream()
                        .map(Sql::columnOptions)
                        .filter(options -> !options.isEmpty())
                        .toList()
                : columnObjects.stream().map(Sql::columnDefinition).toList();
        StringBuilder sql = new StringBuilder("CREATE ");
        if (p.containsKey("unlogged")) {
            sql.append("UNLOGGED ");
        }
        sql.append("TABLE ").append(name);
        if (typed) {
            sql.append(" OF ").append(p.get("of"));
        }
        if (!typed || !columns.isEmpty()) {
            sql.append(" (");
            if (!columns.isEmpty()) {
                sql.append("\n    ").append(String.join(",\n    ", columns)).append('\n');
            }
            sql.append(')');
        }
        if (p.containsKey("inherits")) {
            sql.append(" INHERITS (").append(p.get("inherits")).append(')');
        }
        if (p.containsKey("partition key")) {
            sql.append(" PARTITION BY ").append(p.get("partition key"));
        }
        if (p.containsKey("options")) {
            sql.append(" WITH (").append(p.get("options")).append(')');
        }
        if (p.containsKey("row level security")) {
            sql.append(";\nALTER TABLE ").append(name).append(" ENABLE ROW LEVEL SECURITY");
        }
        if (p.containsKey("forced row level security")) {
            sql.append(";\nALTER TABLE ").append(name).append(" FORCE ROW LEVEL SECURITY");
        }
        return sql.toString();
    }

    static String columnDefinition(DbObject column) {
        Map<String, String> p = column.properties();
        StringBuilder sql =
                new StringBuilder(Identifiers.quote(column.name())).append(' ').append(p.get("type"));
        if (p.containsKey("collation")) {
            sql.append(" COLLATE ").append(p.get("collation"));
        }
        return sql.append(constraints(column)).toString();
    }

    /** A typed table's column as {@code CREATE TABLE ... OF} takes it ({@code name WITH OPTIONS ...}), or nothing. */
    private static String columnOptions(DbObject column) {
        String constraints = constraints(column);
        return constraints.isEmpty() ? "" : Identifiers.quote(column.name()) + " WITH OPTIONS" + constraints;
    }

    /** What follows a column's type: generated expression, identity, default, NOT NULL. */
    private static String constraints(DbObject column) {
        Map<String, String> p = column.properties();
        StringBuilder sql = new StringBuilder();
        if (p.containsKey("generated")) {
            String expression = p.get("generated");
            boolean virtual = expression.endsWith(" VIRTUAL");
            sql.append(" GENERATED ALWAYS AS (")
                    .append(virtual ? expression.substring(0, expression.length() - 8) : expression)
                    .append(virtual ? ") VIRTUAL" : ") STORED");
        }
        if (p.containsKey("identity")) {
            sql.append(" GENERATED ")
                    .append(p.get("identity").equals("always") ? "ALWAYS" : "BY DEFAULT")
                    .append(" AS IDENTITY")
                    .append(identityOptions(column));
        }
        if (p.containsKey("default")) {
            sql.append(" DEFAULT ").append(p.get("default"));
        }
        if (p.containsKey("not null")) {
            sql.append(" NOT NULL");
        }
        return sql.toString();
    }

    /** The statements that drop an object of the source. */
    static List<String> drop(DbObject object) {
        String name = name(object);
        return switch (object.kind()) {
            case SCHEMA -> List.of("DROP SCHEMA " + Identifiers.quote(object.name()));
            case EXTENSION -> List.of("DROP EXTENSION " + Identifiers.quote(object.name()));
            case COLLATION -> List.of("DROP COLLATION " + name);
            case TYPE -> List.of(dropType(object, name));
            case SEQUENCE -> List.of("DROP SEQUENCE " + name);
            case TABLE ->
                List.of("DROP " + (object.label().equals("foreign table") ? "FOREIGN TABLE " : "TABLE ") + name);
            case COLUMN -> List.of("ALTER TABLE " + table(object) + " DROP COLUMN " + Identifiers.quote(object.name()));
            case CONSTRAINT ->
                List.of("ALTER TABLE " + table(object) + " DROP CONSTRAINT " + Identifiers.quote(object.name()));
            case INDEX -> List.of("DROP INDEX " + name);
            case VIEW -> List.of("DROP " + object.label().toUpperCase(Locale.ROOT) + " " + name);
            case FUNCTION -> List.of("DROP " + routineKeyword(object) + " " + name + arguments(object));
            case TRIGGER -> List.of("DROP TRIGGER " + Identifiers.quote(object.name()) + " ON " + table(object));
            case POLICY -> List.of("DROP POLICY " + Identifiers.quote(object.name()) + " ON " + table(object));
            case PRIVILEGE ->
                isRoutinePublic(object)
                        ? List.of(revokeAll(object), "GRANT EXECUTE ON " + privilegeTarget(object) + " TO PUBLIC")
                        : List.of(revokeAll(object));
        };
    }

    /** {@code DROP TYPE} or {@code DROP DOMAIN} of the type, under the name given (already qualified). */
    static String dropType(DbObject type, String qualifiedName) {
        return "DROP " + (type.label().equals("domain") ? "DOMAIN " : "TYPE ") + qualifiedName;
    }

    /** {@code ALTER TABLE t ALTER COLUMN c}, to which a clause is appended. */
    static String alterColumn(DbObject column) {
        return "ALTER TABLE " + table(column) + " ALTER COLUMN " + Identifiers.quote(column.name());
    }

    /** {@code  (INCREMENT BY 2 START WITH 10)} after {@code AS IDENTITY}, or nothing for the defaults. */
    static String identityOptions(DbObject column) {
        String options = column.properties().get("identity options");
        return options == null ? "" : " (" + options + ")";
    }

    /**
     * Every option of an identity's sequence, each {@code SET} even when it is a default: the
     * snapshot leaves defaults out, and a default minimum or start follows the increment's sign,
     * so an option that goes back to its default must still be written.
     */
    static String identitySequence(String options) {
        Map<String, String> values = new HashMap<>();
        Matcher option = IDENTITY_OPTION.matcher(String.valueOf(options));
        while (option.find()) {
            values.put(option.group(1), option.group(2));
        }
        long increment = Long.parseLong(values.getOrDefault("INCREMENT BY", "1"));
        // PostgreSQL's default start is the minimum going up, the maximum going down
        String start = values.getOrDefault(
                "START WITH",
                increment > 0 ? values.getOrDefault("MINVALUE", "1") : values.getOrDefault("MAXVALUE", "-1"));
        return " SET INCREMENT BY " + increment
                + (values.containsKey("MINVALUE") ? " SET MINVALUE " + values.get("MINVALUE") : " SET NO MINVALUE")
                + (values.containsKey("MAXVALUE") ? " SET MAXVALUE " + values.get("MAXVALUE") : " SET NO MAXVALUE")
                + " SET START WITH " + start
                + " SET CACHE " + values.getOrDefault("CACHE", "1")
                + (options != null && options.endsWith("CYCLE") ? " SET CYCLE" : " SET NO CYCLE");
    }

    /** The sequence a {@code nextval('public.s'::regclass)} default calls, as written, or {@code null}. */
    static String nextvalSequence(String defaultValue) {
        Matcher nextval = NEXTVAL.matcher(String.valueOf(defaultValue));
        return nextval.matches() ? nextval.group(1).replace("''", "'") : null;
    }

    /**
     * Moves a column's sequence past the column's values, so that the next row does not take one
     * of them (an empty table leaves it as it is: {@code setval} of NULL does nothing).
     */
    static String setvalFromRows(DbObject column, String sequence) {
        return "SELECT pg_catalog.setval(" + sequence + ", max(" + Identifiers.quote(column.name()) + ")) FROM "
                + table(column);
    }

    static String revokeAll(DbObject privilege) {
        return "REVOKE ALL ON " + privilegeTarget(privilege) + " FROM " + privilege.name();
    }

    /** The GRANTs that give a grantee what the privilege holds, those it may pass on apart. */
    static List<String> grants(DbObject privilege) {
        String target = privilegeTarget(privilege);
        List<String> plain = new ArrayList<>();
        List<String> grantable = new ArrayList<>();
        String all = privilege.properties().get("granted");
        for (String granted : all == null ? new String[0] : all.split(", ")) {
            if (granted.endsWith(GRANT_OPTION)) {
                grantable.add(granted.substring(0, granted.length() - GRANT_OPTION.length()));
            } else {
                plain.add(granted);
            }
        }
        List<String> sql = new ArrayList<>();
        if (!plain.isEmpty()) {
            sql.add("GRANT " + String.join(", ", plain) + " ON " + target + " TO " + privilege.name());
        }
        if (!grantable.isEmpty()) {
            sql.add("GRANT " + String.join(", ", grantable) + " ON " + target + " TO " + privilege.name()
                    + GRANT_OPTION);
        }
        return sql;
    }

    private static String privilegeTarget(DbObject privilege) {
        String on = String.valueOf(privilege.properties().get("on"));
        String routine = privilege.table().contains("(")
                ? Identifiers.qualified(
                                privilege.schema(),
                                privilege.table().substring(0, privilege.table().indexOf('(')))
                        + privilege.table().substring(privilege.table().indexOf('('))
                : null;
        return switch (on) {
            case "sequence" -> "SEQUENCE " + Identifiers.qualified(privilege.schema(), privilege.table());
            case "schema" -> "SCHEMA " + Identifiers.quote(privilege.table());
            // an aggregate is granted as a function: there is no GRANT ... ON AGGREGATE
            case "function" -> "FUNCTION " + routine;
            case "procedure" -> "PROCEDURE " + routine;
            default -> "TABLE " + Identifiers.qualified(privilege.schema(), privilege.table());
        };
    }

    /** PUBLIC's privileges on a routine, which by default may run it. */
    private static boolean isRoutinePublic(DbObject privilege) {
        String on = privilege.properties().get("on");
        return privilege.name().equals("PUBLIC") && ("function".equals(on) || "procedure".equals(on));
    }

    static String triggerState(DbObject trigger) {
        String state = trigger.properties().get("state");
        String clause = state == null
                ? "ENABLE"
                : switch (state) {
                    case "disabled" -> "DISABLE";
                    case "enabled on replica" -> "ENABLE REPLICA";
                    case "enabled always" -> "ENABLE ALWAYS";
                    default -> "ENABLE";
                };
        return "ALTER TABLE " + table(trigger) + " " + clause + " TRIGGER " + Identifiers.quote(trigger.name());
    }

    static String comment(DbObject object, String text) {
        String target = switch (object.kind()) {
            case SCHEMA -> "SCHEMA " + Identifiers.quote(object.name());
            case EXTENSION -> "EXTENSION " + Identifiers.quote(object.name());
            case COLLATION -> "COLLATION " + name(object);
            case TYPE -> (object.label().equals("domain") ? "DOMAIN " : "TYPE ") + name(object);
            case SEQUENCE -> "SEQUENCE " + name(object);
            case TABLE -> (object.label().equals("foreign table") ? "FOREIGN TABLE " : "TABLE ") + name(object);
            case COLUMN -> "COLUMN " + table(object) + "." + Identifiers.quote(object.name());
            case CONSTRAINT -> "CONSTRAINT " + Identifiers.quote(object.name()) + " ON " + table(object);
            case INDEX -> "INDEX " + name(object);
            case VIEW -> object.label().toUpperCase(Locale.ROOT) + " " + name(object);
            case FUNCTION -> routineKeyword(object) + " " + name(object) + arguments(object);
            case TRIGGER -> "TRIGGER " + Identifiers.quote(object.name()) + " ON " + table(object);
            case POLICY -> "POLICY " + Identifiers.quote(object.name()) + " ON " + table(object);
            case PRIVILEGE -> throw new IllegalStateException("privileges have no comment");
        };
        return "COMMENT ON " + target + " IS " + (text == null ? "NULL" : literal(text));
    }

    private static String routineKeyword(DbObject function) {
        return switch (function.label()) {
            case "procedure" -> "PROCEDURE";
            case "aggregate" -> "AGGREGATE";
            default -> "FUNCTION";
        };
    }

    /** {@code schema.name}; for a function without its arguments. */
    static String name(DbObject object) {
        String name = object.kind() == Kind.FUNCTION
                ? object.name().substring(0, object.name().indexOf('('))
                : object.name();
        return Identifiers.qualified(object.schema(), name);
    }

    /** A routine's arguments; a procedure's carry their mode ({@code IN x integer}), which DROP accepts as is. */
    private static String arguments(DbObject function) {
        return function.name().substring(function.name().indexOf('('));
    }

    /** The qualified table an object belongs to. */
    static String table(DbObject object) {
        return Identifiers.qualified(object.schema(), object.table());
    }

    /** The names of {@code a=1, b} storage options, for a {@code RESET}. */
    static String optionNames(String options) {
        List<String> names = new ArrayList<>();
        for (String option : options.split(", ")) {
            names.add(option.contains("=") ? option.substring(0, option.indexOf('=')) : option);
        }
        return String.join(", ", names);
    }

    static String literal(String text) {
        return Identifiers.literal(text);
    }

    private static String stripSemicolon(String definition) {
        String text = definition.strip();
        return text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
    }
}
