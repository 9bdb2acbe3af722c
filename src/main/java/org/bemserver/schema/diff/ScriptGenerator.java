package org.bemserver.schema.diff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.catalog.TableRows;

/**
 * Writes the SQL that turns the database of one snapshot into that of another.
 *
 * <p>Every difference becomes steps (drop, create, alter, rename), and the steps are ordered by
 * a dependency graph: a step that creates or changes an object runs after the steps that create
 * what it depends on in the target ({@code pg_depend} of the target, plus a table before its
 * columns and constraints); a step that drops an object runs after the steps that drop or change
 * what depends on it in the source. Objects that depend on something dropped, recreated or
 * retyped, and stay, are dropped before and recreated after (views over a retyped column,
 * triggers on a recreated function, defaults that call a recreated function). Enums, domains and
 * composite types are changed in place where PostgreSQL allows it; an enum or domain that must be
 * recreated is created beside the old one, which its columns leave when they are retyped. Ties
 * are broken by a fixed rank (types and sequences first, foreign keys after every table, default
 * rows last) and then by name, so the script is the same every time. Nothing that cannot run in a
 * transaction is generated.
 */
public final class ScriptGenerator {

    private ScriptGenerator() {}

    public static MigrationScript generate(Snapshot from, Snapshot to) {
        return new Generation(from, to, SchemaComparison.compare(from, to)).run();
    }

    /** What a step does, which sets its rank among ready steps. */
    private enum Action {
        DROP,
        RENAME,
        CREATE,
        ALTER,
        OWNED_BY,
        ROWS,
        ROWS_DELETE
    }

    /** One step of the script, a node of the ordering graph. */
    private static final class Step {
        final int id;
        final Action action;
        final String key;
        final int rank;
        final List<MigrationScript.Statement> statements = new ArrayList<>();
        final Set<Step> after = new LinkedHashSet<>();
        /** A SET NOT NULL held back until the table's reference rows fill the column. */
        boolean setsNotNull;

        Step(int id, Action action, String key, int rank) {
            this.id = id;
            this.action = action;
            this.key = key;
            this.rank = rank;
        }

        Step sql(String sql) {
            return sql(sql, null);
        }

        Step sql(String sql, String warning) {
            statements.add(new MigrationScript.Statement(sql, warning, statements.isEmpty()));
            return this;
        }
    }

    private static final class Generation {

        private final Snapshot from;
        private final Snapshot to;
        private final SchemaDiff diff;
        private final List<Step> steps = new ArrayList<>();
        /** Steps that make an object of the target exist or take its final shape, by key. */
        private final Map<String, List<Step>> producing = new HashMap<>();
        /** Steps that drop or change an object of the source, by key. */
        private final Map<String, List<Step>> consuming = new HashMap<>();
        private final Set<String> dropped = new TreeSet<>();
        private final Set<String> recreated = new TreeSet<>();
        private final Map<String, List<String>> reverseFrom = new HashMap<>();
        private final List<Step> identityDrops = new ArrayList<>();
        /** Columns an enum or domain recreation retypes, default included. */
        private final Set<String> typeRetyped = new TreeSet<>();
        /** Columns whose default calls a recreated function: dropped before it, set again after. */
        private final Set<String> defaultsAround = new TreeSet<>();

        Generation(Snapshot from, Snapshot to, SchemaDiff diff) {
            this.from = from;
            this.to = to;
            this.diff = diff;
            from.dependencies().forEach((dependent, referenced) -> referenced.forEach(
                    r -> reverseFrom.computeIfAbsent(r, k -> new ArrayList<>()).add(dependent)));
        }

        MigrationScript run() {
            Map<String, Change> changed = new TreeMap<>();
            for (Change change : diff.changes()) {
                switch (change.type()) {
                    case REMOVED -> dropped.add(change.before().key());
                    case CHANGED -> changed.put(change.after().key(), change);
                    default -> {}
                }
            }
            Set<String> retyped = new TreeSet<>();
            changed.forEach((key, change) -> {
                if (needsRecreate(change)) {
                    recreated.add(key);
                } else if (change.after().kind() == Kind.COLUMN && changes(change, "type", "collation")) {
                    retyped.add(key);
                } else if (change.after().kind() == Kind.TYPE && change.after().label().equals("enum")
                        && !enumAppendOnly(change)) {
                    recreated.add(key);
                }
            });
            for (String key : recreated) {
                if (isRenamedAround(from.objects().get(key))) {
                    for (String dependent : reverseFrom.getOrDefault(key, List.of())) {
                        if (dependent.startsWith("COLUMN|") && to.objects().containsKey(dependent)) {
                            typeRetyped.add(dependent);
                        }
                    }
                }
            }
            // a domain's columns are retyped: what depends on them is recreated around them
            typeRetyped.stream().filter(column -> from.objects().containsKey(column) && isDomainColumn(column))
                    .forEach(retyped::add);
            closeOverDependents(retyped);
            // privileges go with a dropped relation or routine: grant them again on the new one
            for (String key : List.copyOf(recreated)) {
                DbObject subject = to.objects().get(key);
                if (subject != null && (subject.kind() == Kind.VIEW || subject.kind() == Kind.TABLE
                        || subject.kind() == Kind.FUNCTION)) {
                    for (DbObject privilege : to.all(Kind.PRIVILEGE)) {
                        boolean on = subject.kind() == Kind.FUNCTION ? privilegeSubject(privilege).equals(key)
                                : Objects.equals(privilege.schema(), subject.schema()) && privilege.table().equals(subject.name());
                        if (on && from.objects().containsKey(privilege.key())) {
                            recreated.add(privilege.key());
                        }
                    }
                }
            }
            for (String key : recreated) {
                if (key.startsWith("FUNCTION|")) {
                    for (String dependent : reverseFrom.getOrDefault(key, List.of())) {
                        DbObject column = from.objects().get(dependent);
                        if (column != null && column.kind() == Kind.COLUMN && column.properties().containsKey("default")
                                && to.dependenciesOf(dependent).contains(key) && !droppedWithItsTable(column)
                                && !typeRetyped.contains(dependent)) {
                            defaultsAround.add(dependent);
                        }
                    }
                }
            }

            for (Change change : diff.changes()) {
                switch (change.type()) {
                    case ADDED -> create(change.after());
                    case REMOVED -> drop(change.before());
                    case RENAMED -> rename(change.before(), change.after());
                    case CHANGED -> {
                        String key = change.after().key();
                        if (!recreated.contains(key)) {
                            alter(change);
                        }
                    }
                }
            }
            for (String key : recreated) {
                DbObject before = from.objects().get(key);
                DbObject after = to.objects().get(key);
                if (isRenamedAround(before)) {
                    recreateType(before, after);
                    continue;
                }
                Step drop = drop(before);
                Step create = create(after);
                if (drop != null && create != null) {
                    create.after.add(drop);
                }
            }
            defaultsAround.forEach(this::defaultAround);
            ownership();
            rows();
            link();
            return new MigrationScript(order());
        }

        // ---------------------------------------------------------------- decisions

        /**
         * Enums and domains are recreated beside the old type, which columns keep using until they
         * are retyped to the new one (a DROP TYPE would fail while a column uses it).
         */
        private static boolean isRenamedAround(DbObject type) {
            return type.kind() == Kind.TYPE && (type.label().equals("enum") || type.label().equals("domain"));
        }

        private boolean isDomainColumn(String column) {
            return from.dependenciesOf(column).stream().anyMatch(key -> {
                DbObject type = from.objects().get(key);
                return type != null && type.kind() == Kind.TYPE && type.label().equals("domain") && recreated.contains(key);
            });
        }

        /** Whether a changed object is dropped and created again rather than altered. */
        private boolean needsRecreate(Change change) {
            DbObject after = change.after();
            return switch (after.kind()) {
                case TYPE -> !after.label().equals("enum") && changes(change, "definition")
                        && !(after.label().equals("composite") && compositeInPlace(change));
                case TABLE -> changes(change, "partition key", "partition of", "inherits");
                case COLUMN -> changes(change, "generated") && (change.before().properties().get("generated") == null
                        || change.after().properties().get("generated") == null);
                case CONSTRAINT, POLICY -> changes(change, "definition");
                case INDEX -> changes(change, "definition", "invalid");
                case VIEW -> changes(change, "definition", "options", "with no data");
                case TRIGGER -> changes(change, "definition");
                case FUNCTION -> changes(change, "body") && !replaceable(change);
                default -> false;
            };
        }

        private static boolean changes(Change change, String... properties) {
            return change.properties().stream().anyMatch(p -> List.of(properties).contains(p.name()));
        }

        /** A function whose result stays the same can be replaced in place, keeping what uses it. */
        private static boolean replaceable(Change change) {
            String label = change.after().label();
            return (label.equals("function") || label.equals("procedure"))
                    && Objects.equals(returns(change.before()), returns(change.after()));
        }

        private static String returns(DbObject function) {
            return String.valueOf(function.properties().get("body")).lines()
                    .filter(line -> line.strip().startsWith("RETURNS ")).findFirst().orElse("");
        }

        /**
         * Whether ALTER TYPE can give a composite type its new attributes: dropped ones dropped,
         * new ones added at the end (so those it keeps stay in their order, before the new ones),
         * and kept ones retyped only while no column uses the type (PostgreSQL refuses that).
         */
        private boolean compositeInPlace(Change change) {
            Map<String, String> before = attributes(change.before());
            Map<String, String> after = attributes(change.after());
            List<String> order = new ArrayList<>(before.keySet().stream().filter(after::containsKey).toList());
            after.keySet().stream().filter(name -> !before.containsKey(name)).forEach(order::add);
            if (!order.equals(List.copyOf(after.keySet()))) {
                return false;
            }
            boolean retypes = before.entrySet().stream()
                    .anyMatch(a -> after.containsKey(a.getKey()) && !after.get(a.getKey()).equals(a.getValue()));
            return !retypes || !usedByColumns(change.before());
        }

        /** Whether a column of a table (its type, or an array of it) uses the type in the source. */
        private boolean usedByColumns(DbObject type) {
            return reverseFrom.getOrDefault(type.key(), List.of()).stream().anyMatch(key -> key.startsWith("COLUMN|"));
        }

        /**
         * A composite type's attributes, by name (as written, quoted if need be), in order: its
         * definition split at the commas outside quotes and parentheses ({@code numeric(10,2)}).
         */
        private static Map<String, String> attributes(DbObject composite) {
            Map<String, String> attributes = new LinkedHashMap<>();
            String definition = composite.properties().get("definition");
            if (definition == null) {
                return attributes;
            }
            List<String> items = new ArrayList<>();
            int depth = 0;
            boolean quoted = false;
            int start = 0;
            for (int i = 0; i < definition.length(); i++) {
                char c = definition.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && c == '(') {
                    depth++;
                } else if (!quoted && c == ')') {
                    depth--;
                } else if (!quoted && depth == 0 && definition.startsWith(", ", i)) {
                    items.add(definition.substring(start, i));
                    start = i + 2;
                }
            }
            items.add(definition.substring(start));
            for (String item : items) {
                int space = item.indexOf(' ');
                if (item.startsWith("\"")) {
                    // a quoted name ends at the quote that is not doubled
                    int end = 1;
                    while (item.charAt(end) != '"' || item.startsWith("\"\"", end)) {
                        end += item.startsWith("\"\"", end) ? 2 : 1;
                    }
                    space = end + 1;
                }
                attributes.put(item.substring(0, space), item.substring(space + 1));
            }
            return attributes;
        }

        /** Attributes dropped, retyped, then added at the end, as {@link #compositeInPlace} allows. */
        private void compositeAttributes(Step step, Change change) {
            Map<String, String> before = attributes(change.before());
            Map<String, String> after = attributes(change.after());
            String alter = "ALTER TYPE " + name(change.after());
            boolean usedByColumns = usedByColumns(change.before());
            before.forEach((attribute, type) -> {
                if (!after.containsKey(attribute)) {
                    step.sql(alter + " DROP ATTRIBUTE " + attribute, usedByColumns ? "drops attribute " + attribute + " of "
                            + change.after().displayName() + " and its values in the columns of that type (data loss)" : null);
                }
            });
            before.forEach((attribute, type) -> {
                if (after.containsKey(attribute) && !after.get(attribute).equals(type)) {
                    step.sql(alter + " ALTER ATTRIBUTE " + attribute + " TYPE " + after.get(attribute));
                }
            });
            after.forEach((attribute, type) -> {
                if (!before.containsKey(attribute)) {
                    step.sql(alter + " ADD ATTRIBUTE " + attribute + " " + type);
                }
            });
        }

        /** Whether the labels of the target only add to those of the source, in the same order. */
        private boolean enumAppendOnly(Change change) {
            List<String> before = labels(change.before());
            List<String> after = labels(change.after());
            int i = 0;
            for (String label : after) {
                if (i < before.size() && before.get(i).equals(label)) {
                    i++;
                }
            }
            if (i != before.size()) {
                return false;
            }
            // PostgreSQL refuses a label added in this transaction where it is used in the same one
            List<String> added = after.stream().filter(l -> !before.contains(l)).toList();
            String key = change.after().key();
            for (DbObject object : to.objects().values()) {
                if (to.dependenciesOf(object.key()).contains(key)
                        && object.properties().values().stream().anyMatch(v -> added.stream().anyMatch(v::contains))) {
                    return false;
                }
            }
            for (TableRows rows : to.rows().values()) {
                if (rows.rows().values().stream().flatMap(List::stream).anyMatch(added::contains)) {
                    return false;
                }
            }
            return true;
        }

        private static List<String> labels(DbObject enumType) {
            List<String> labels = new ArrayList<>();
            java.util.regex.Matcher literal = java.util.regex.Pattern.compile("'((?:[^']|'')*)'")
                    .matcher(enumType.properties().get("definition"));
            while (literal.find()) {
                labels.add("'" + literal.group(1) + "'");
            }
            return labels;
        }

        /**
         * Objects of the source that stay but depend, directly or not, on something dropped,
         * recreated or retyped are recreated around it.
         */
        private void closeOverDependents(Set<String> retyped) {
            Deque<String> work = new ArrayDeque<>();
            work.addAll(dropped);
            work.addAll(recreated);
            work.addAll(retyped);
            Set<String> seen = new HashSet<>(work);
            while (!work.isEmpty()) {
                String key = work.pop();
                for (String dependent : reverseFrom.getOrDefault(key, List.of())) {
                    if (!seen.add(dependent)) {
                        continue;
                    }
                    DbObject object = to.objects().get(dependent);
                    if (object == null || !from.objects().containsKey(dependent)) {
                        continue;
                    }
                    if (isRecreatable(object) && !(retyped.contains(key) && ownedByRetype(object))) {
                        recreated.add(dependent);
                        work.add(dependent);
                    }
                }
            }
        }

        /** Kinds a script may drop and create again without losing data. */
        private static boolean isRecreatable(DbObject object) {
            return switch (object.kind()) {
                case VIEW, TRIGGER, POLICY, CONSTRAINT, INDEX -> true;
                case FUNCTION -> true;
                default -> false;
            };
        }

        /** PostgreSQL rebuilds a retyped column's indexes and constraints itself. */
        private static boolean ownedByRetype(DbObject object) {
            return object.kind() == Kind.INDEX || object.kind() == Kind.CONSTRAINT;
        }

        // ---------------------------------------------------------------- steps

        private Step step(Action action, DbObject object) {
            Step step = new Step(steps.size(), action, object.key(), rank(action, object));
            steps.add(step);
            if (action == Action.DROP) {
                consuming.computeIfAbsent(object.key(), k -> new ArrayList<>()).add(step);
            } else {
                producing.computeIfAbsent(object.key(), k -> new ArrayList<>()).add(step);
                if (action == Action.ALTER) {
                    consuming.computeIfAbsent(object.key(), k -> new ArrayList<>()).add(step);
                }
            }
            return step;
        }

        private Step create(DbObject object) {
            if (object.table() != null && object.kind() == Kind.COLUMN && isNewTable(object)) {
                return null; // written in its CREATE TABLE
            }
            Step step = step(Action.CREATE, object);
            String name = name(object);
            Map<String, String> p = object.properties();
            switch (object.kind()) {
                case SCHEMA -> step.sql("CREATE SCHEMA " + Identifiers.quote(object.name()));
                case EXTENSION -> step.sql("CREATE EXTENSION IF NOT EXISTS " + Identifiers.quote(object.name())
                        + " WITH SCHEMA " + Identifiers.quote(p.get("schema")) + " VERSION " + literal(p.get("version")));
                case TYPE -> step.sql(switch (object.label()) {
                    case "enum" -> "CREATE TYPE " + name + " AS ENUM (" + p.get("definition") + ")";
                    case "domain" -> "CREATE DOMAIN " + name + " AS " + p.get("definition")
                            + (p.containsKey("default") ? " DEFAULT " + p.get("default") : "")
                            + (p.containsKey("not null") ? " NOT NULL" : "")
                            + String.join("", domainConstraints(object).entrySet().stream()
                                    .filter(c -> !c.getValue().endsWith(" NOT VALID"))
                                    .map(c -> " CONSTRAINT " + Identifiers.quote(c.getKey()) + " " + c.getValue()).toList());
                    case "composite" -> "CREATE TYPE " + name + " AS (" + p.get("definition") + ")";
                    default -> "CREATE TYPE " + name + " AS RANGE (" + p.get("definition") + ")";
                });
                case SEQUENCE -> step.sql("CREATE SEQUENCE " + name + " " + p.get("options"));
                case TABLE -> step.sql(createTable(object));
                case COLUMN -> {
                    if (fillsFromRows(object)) {
                        // added nullable, filled by the reference rows, then made NOT NULL
                        Map<String, String> nullable = new LinkedHashMap<>(p);
                        nullable.remove("not null");
                        step.sql("ALTER TABLE " + table(object) + " ADD COLUMN " + columnDefinition(
                                new DbObject(object.kind(), object.label(), object.schema(), object.table(), object.name(),
                                        nullable)));
                        Step notNull = step(Action.ALTER, object);
                        notNull.setsNotNull = true;
                        notNull.after.add(step);
                        notNull.sql("ALTER TABLE " + table(object) + " ALTER COLUMN " + Identifiers.quote(object.name())
                                + " SET NOT NULL");
                    } else {
                        step.sql("ALTER TABLE " + table(object) + " ADD COLUMN " + columnDefinition(object));
                    }
                }
                case CONSTRAINT -> step.sql("ALTER TABLE " + table(object) + " ADD CONSTRAINT " + Identifiers.quote(object.name())
                        + " " + p.get("definition"));
                case INDEX -> step.sql(p.get("definition"));
                case VIEW -> step.sql("CREATE " + object.label().toUpperCase(Locale.ROOT) + " " + name
                        + (p.containsKey("options") ? " WITH (" + p.get("options") + ")" : "") + " AS\n"
                        + stripSemicolon(p.get("definition"))
                        + (object.label().equals("materialized view") ? (p.containsKey("with no data") ? "\nWITH NO DATA"
                                : "\nWITH DATA") : ""));
                case FUNCTION -> step.sql(object.label().equals("aggregate")
                        ? "CREATE AGGREGATE " + name + arguments(object) + " (" + p.get("body") + ")"
                        : stripTrailingNewline(p.get("body")));
                case TRIGGER -> {
                    step.sql(p.get("definition"));
                    if (p.containsKey("state")) {
                        step.sql(triggerState(object));
                    }
                }
                case POLICY -> step.sql("CREATE POLICY " + Identifiers.quote(object.name()) + " ON " + table(object) + " "
                        + p.get("definition"));
                case PRIVILEGE -> {
                    if (isRoutinePublic(object)) {
                        // PUBLIC may run a new routine: take that away before granting what the target has
                        step.sql("REVOKE ALL ON " + privilegeTarget(object) + " FROM PUBLIC");
                    }
                    grants(step, object);
                }
            }
            if (object.kind() == Kind.TYPE && object.label().equals("domain")) {
                // CREATE DOMAIN takes no NOT VALID check: such a check is added after
                domainConstraints(object).forEach((constraint, definition) -> {
                    if (definition.endsWith(" NOT VALID")) {
                        step.sql("ALTER DOMAIN " + name + " ADD CONSTRAINT " + Identifiers.quote(constraint) + " " + definition);
                    }
                });
            }
            if (object.kind() == Kind.TABLE) {
                for (DbObject column : columnsOf(to, object)) {
                    if (column.properties().containsKey("comment")) {
                        step.sql(comment(column, column.properties().get("comment")));
                    }
                }
            }
            if (p.containsKey("comment") && object.kind() != Kind.PRIVILEGE) {
                step.sql(comment(object, p.get("comment")));
            }
            return step;
        }

        /** A NOT NULL column without default added to a reference table that already has rows. */
        private boolean fillsFromRows(DbObject column) {
            Map<String, String> p = column.properties();
            if (!p.containsKey("not null") || p.containsKey("default") || p.containsKey("identity") || p.containsKey("generated")) {
                return false;
            }
            return from.rows().values().stream().anyMatch(rows -> rows.schema().equals(column.schema())
                    && rows.name().equals(column.table()) && !rows.rows().isEmpty());
        }

        private Step drop(DbObject object) {
            if (droppedWithItsTable(object) || droppedWithItsColumn(object) || droppedWithItsSubject(object)) {
                return null;
            }
            Step step = step(Action.DROP, object);
            String name = name(object);
            switch (object.kind()) {
                case SCHEMA -> step.sql("DROP SCHEMA " + Identifiers.quote(object.name()),
                        "drops schema " + object.name() + " (data loss if it still holds anything)");
                case EXTENSION -> step.sql("DROP EXTENSION " + Identifiers.quote(object.name()));
                case TYPE -> step.sql("DROP " + (object.label().equals("domain") ? "DOMAIN " : "TYPE ") + name,
                        object.label().equals("composite") && recreated.contains(object.key()) && usedByColumns(object)
                                ? "recreates composite type " + object.displayName() + ", which columns use: PostgreSQL "
                                        + "refuses this drop, and changes the type of an attribute in place only while no "
                                        + "column uses the type; migrate those columns by hand" : null);
                case SEQUENCE -> step.sql("DROP SEQUENCE " + name);
                case TABLE -> step.sql("DROP " + (object.label().equals("foreign table") ? "FOREIGN TABLE " : "TABLE ") + name,
                        recreated.contains(object.key()) ? "recreates table " + object.displayName()
                                + " without its rows (data loss)" : "drops table " + object.displayName()
                                + " and its rows (data loss)");
                case COLUMN -> step.sql("ALTER TABLE " + table(object) + " DROP COLUMN " + Identifiers.quote(object.name()),
                        "drops column " + object.displayName() + " and its values (data loss)");
                case CONSTRAINT -> step.sql("ALTER TABLE " + table(object) + " DROP CONSTRAINT "
                        + Identifiers.quote(object.name()));
                case INDEX -> step.sql("DROP INDEX " + name);
                case VIEW -> step.sql("DROP " + object.label().toUpperCase(Locale.ROOT) + " " + name);
                case FUNCTION -> step.sql("DROP " + routineKeyword(object) + " " + name + arguments(object));
                case TRIGGER -> step.sql("DROP TRIGGER " + Identifiers.quote(object.name()) + " ON " + table(object));
                case POLICY -> step.sql("DROP POLICY " + Identifiers.quote(object.name()) + " ON " + table(object));
                case PRIVILEGE -> {
                    step.sql("REVOKE ALL ON " + privilegeTarget(object) + " FROM " + object.name());
                    if (isRoutinePublic(object)) {
                        step.sql("GRANT EXECUTE ON " + privilegeTarget(object) + " TO PUBLIC");
                    }
                }
            }
            return step;
        }

        /** Columns, indexes, triggers, policies and privileges go with their table (foreign keys are dropped first). */
        private boolean droppedWithItsTable(DbObject object) {
            if (object.table() == null) {
                return false;
            }
            String table = "TABLE|" + object.schema() + "|null|" + object.table();
            boolean tableGoes = (dropped.contains(table) || recreated.contains(table)) && from.objects().containsKey(table);
            boolean foreignKey = object.kind() == Kind.CONSTRAINT && object.label().equals("foreign key");
            return tableGoes && !foreignKey;
        }

        /** Privileges on a routine or a schema go with it (a new routine starts from the defaults). */
        private boolean droppedWithItsSubject(DbObject object) {
            if (object.kind() != Kind.PRIVILEGE) {
                return false;
            }
            String subject = privilegeSubject(object);
            return !subject.startsWith("TABLE|") && (dropped.contains(subject) || recreated.contains(subject));
        }

        /** A sequence owned by a column that is dropped goes with it. */
        private boolean droppedWithItsColumn(DbObject object) {
            if (object.kind() != Kind.SEQUENCE) {
                return false;
            }
            String owner = from.ownedBy().get(object.key());
            if (owner == null) {
                return false;
            }
            String[] parts = owner.split("\\|", 4);
            String table = "TABLE|" + parts[1] + "|null|" + parts[2];
            return dropped.contains(owner) || dropped.contains(table) || recreated.contains(table);
        }

        private void rename(DbObject before, DbObject after) {
            Step step = step(Action.RENAME, after);
            step.sql(SchemaDiff.renameStatement(before, after));
            consuming.computeIfAbsent(before.key(), k -> new ArrayList<>()).add(step);
        }

        private void alter(Change change) {
            DbObject object = change.after();
            if (object.kind() == Kind.COLUMN && change.before().properties().containsKey("identity")
                    && !object.properties().containsKey("identity")) {
                // dropping an identity drops its sequence, whose name a new serial sequence may take: a
                // step of its own, before that sequence is created and before the rest of the column's changes
                Step drop = step(Action.DROP, object);
                drop.sql("ALTER TABLE " + table(object) + " ALTER COLUMN " + Identifiers.quote(object.name()) + " DROP IDENTITY");
                identityDrops.add(drop);
            }
            Step step = step(Action.ALTER, object);
            step.after.addAll(identityDrops.stream().filter(d -> d.key.equals(object.key())).toList());
            if (defaultsAround.contains(object.key())) {
                // its default no longer calls the old function by then: the function need not wait for it
                consuming.get(object.key()).remove(step);
            }
            String name = name(object);
            if (object.kind() == Kind.TYPE && object.label().equals("domain")) {
                alterDomain(step, change);
                return;
            }
            for (PropertyChange property : change.properties()) {
                String value = property.after();
                switch (property.name()) {
                    case "comment" -> step.sql(comment(object, value));
                    case "version" -> step.sql("ALTER EXTENSION " + Identifiers.quote(object.name()) + " UPDATE TO "
                            + literal(value));
                    case "schema" -> step.sql("ALTER EXTENSION " + Identifiers.quote(object.name()) + " SET SCHEMA "
                            + Identifiers.quote(value));
                    case "options" -> step.sql(object.kind() == Kind.SEQUENCE ? "ALTER SEQUENCE " + name + " " + value
                            : "ALTER TABLE " + name + (value == null ? " RESET (" + optionNames(property.before()) + ")"
                                    : " SET (" + value + ")"));
                    case "owned by" -> { } // see ownership()
                    case "unlogged" -> step.sql("ALTER TABLE " + name + (value == null ? " SET LOGGED" : " SET UNLOGGED"));
                    case "row level security" -> step.sql("ALTER TABLE " + name + (value == null ? " DISABLE" : " ENABLE")
                            + " ROW LEVEL SECURITY");
                    case "forced row level security" -> step.sql("ALTER TABLE " + name + (value == null ? " NO FORCE" : " FORCE")
                            + " ROW LEVEL SECURITY");
                    case "definition" -> {
                        if (object.label().equals("composite")) {
                            compositeAttributes(step, change);
                        } else {
                            enumLabels(step, change);
                        }
                    }
                    case "body" -> step.sql(stripTrailingNewline(value));
                    case "state" -> step.sql(triggerState(object));
                    case "granted" -> {
                        step.sql("REVOKE ALL ON " + privilegeTarget(object) + " FROM " + object.name());
                        grants(step, object);
                    }
                    default -> {
                        if (object.kind() == Kind.COLUMN) {
                            if (!typeRetyped.contains(object.key())
                                    || changes(change, "not null", "comment", "identity", "identity options")) {
                                alterColumn(step, change);
                            }
                            return;
                        }
                        throw new IllegalStateException("no way to alter " + property.name() + " of " + object.key());
                    }
                }
            }
        }

        /**
         * A domain whose base type stays: checks that go or change are dropped first, then the
         * default and NOT NULL are set, then new and changed checks are added (and validated against
         * the columns' values by PostgreSQL).
         */
        private void alterDomain(Step step, Change change) {
            String alter = "ALTER DOMAIN " + name(change.after());
            Map<String, String> before = domainConstraints(change.before());
            Map<String, String> after = domainConstraints(change.after());
            before.forEach((constraint, definition) -> {
                if (!definition.equals(after.get(constraint))) {
                    step.sql(alter + " DROP CONSTRAINT " + Identifiers.quote(constraint));
                }
            });
            for (PropertyChange property : change.properties()) {
                switch (property.name()) {
                    case "default" -> step.sql(alter + (property.after() == null ? " DROP DEFAULT"
                            : " SET DEFAULT " + property.after()));
                    case "not null" -> step.sql(alter + (property.after() == null ? " DROP NOT NULL" : " SET NOT NULL"));
                    case "comment" -> step.sql(comment(change.after(), property.after()));
                    default -> { }
                }
            }
            after.forEach((constraint, definition) -> {
                if (!definition.equals(before.get(constraint))) {
                    step.sql(alter + " ADD CONSTRAINT " + Identifiers.quote(constraint) + " " + definition);
                }
            });
        }

        /** A domain's check constraints, by name. */
        private static Map<String, String> domainConstraints(DbObject domain) {
            Map<String, String> constraints = new LinkedHashMap<>();
            domain.properties().forEach((key, value) -> {
                if (key.startsWith("constraint ")) {
                    constraints.put(key.substring("constraint ".length()), value);
                }
            });
            return constraints;
        }

        /** Column changes in the order PostgreSQL accepts them. */
        private void alterColumn(Step step, Change change) {
            DbObject column = change.after();
            Map<String, String> before = change.before().properties();
            Map<String, String> after = column.properties();
            String alter = "ALTER TABLE " + table(column) + " ALTER COLUMN " + Identifiers.quote(column.name());
            boolean retype = changes(change, "type", "collation") && !typeRetyped.contains(column.key());
            boolean defaultChanges = !Objects.equals(before.get("default"), after.get("default"))
                    && !typeRetyped.contains(column.key());
            boolean defaultElsewhere = defaultsAround.contains(column.key());
            if (before.containsKey("default") && (defaultChanges || retype) && !defaultElsewhere) {
                step.sql(alter + " DROP DEFAULT");
            }
            if (before.containsKey("generated") && !after.containsKey("generated")) {
                step.sql(alter + " DROP EXPRESSION");
            }
            if (retype) {
                String type = after.get("type") + (after.containsKey("collation") ? " COLLATE " + after.get("collation") : "");
                step.sql(alter + " TYPE " + type + " USING " + Identifiers.quote(column.name()) + "::" + after.get("type"),
                        narrowing(before.get("type"), after.get("type")) ? "changes the type of column " + column.displayName()
                                + " from " + before.get("type") + " to " + after.get("type")
                                + " (data loss if values do not fit)" : null);
            }
            if (before.containsKey("generated") && after.containsKey("generated")
                    && !before.get("generated").equals(after.get("generated"))) {
                step.sql(alter + " SET EXPRESSION AS (" + after.get("generated") + ")");
            }
            if (!Objects.equals(before.get("not null"), after.get("not null")) && !after.containsKey("identity")) {
                step.sql(alter + (after.containsKey("not null") ? " SET NOT NULL" : " DROP NOT NULL"));
            }
            if (after.containsKey("identity")) {
                if (!before.containsKey("not null")) {
                    step.sql(alter + " SET NOT NULL");
                }
                String generated = after.get("identity").equals("always") ? "ALWAYS" : "BY DEFAULT";
                if (!before.containsKey("identity")) {
                    step.sql(alter + " ADD GENERATED " + generated + " AS IDENTITY" + identityOptions(column));
                } else {
                    if (!before.get("identity").equals(after.get("identity"))) {
                        step.sql(alter + " SET GENERATED " + generated);
                    }
                    if (!Objects.equals(before.get("identity options"), after.get("identity options"))) {
                        step.sql(alter + identitySequence(after.get("identity options")));
                    }
                }
            }
            if (after.containsKey("default") && (defaultChanges || retype) && !defaultElsewhere) {
                step.sql(alter + " SET DEFAULT " + after.get("default"));
            }
            if (!Objects.equals(before.get("comment"), after.get("comment"))) {
                step.sql(comment(column, after.get("comment")));
            }
        }

        /** New enum labels, each placed where the target has it. */
        private void enumLabels(Step step, Change change) {
            List<String> before = labels(change.before());
            List<String> after = labels(change.after());
            for (int i = 0; i < after.size(); i++) {
                String label = after.get(i);
                if (!before.contains(label)) {
                    // the label before it exists by now (old, or added just above); at the front, before the first old one
                    String place = i > 0 ? " AFTER " + after.get(i - 1)
                            : before.isEmpty() ? "" : " BEFORE " + before.get(0);
                    step.sql("ALTER TYPE " + name(change.after()) + " ADD VALUE " + label + place);
                }
            }
        }

        /**
         * An enum whose labels are removed or reordered, or a domain whose base type changes: the
         * old type is renamed, the new one created, the columns that use it retyped (an enum's
         * through text), then the old one dropped.
         */
        private void recreateType(DbObject before, DbObject after) {
            boolean domain = before.label().equals("domain");
            String old = Identifiers.quote(before.name() + "__old");
            // a rename keeps what uses the type working, so it waits for nothing
            Step rename = step(Action.RENAME, before);
            rename.sql("ALTER " + (domain ? "DOMAIN " : "TYPE ") + name(before) + " RENAME TO " + old);
            Step create = create(after);
            create.after.add(rename);
            List<String> removed = domain ? List.of()
                    : labels(before).stream().filter(l -> !labels(after).contains(l)).toList();
            String beforeBase = before.properties().get("definition");
            String afterBase = after.properties().get("definition");
            String warning = domain ? narrowing(beforeBase, afterBase) ? "changes the base type of " + before.displayName()
                    + " from " + beforeBase + " to " + afterBase + " (data loss if values do not fit)" : null
                    : removed.isEmpty() ? null
                    : "removes label" + (removed.size() > 1 ? "s " : " ") + String.join(", ", removed) + " of "
                            + before.displayName() + ": rows holding " + (removed.size() > 1 ? "them" : "it")
                            + " make this fail (data loss if you delete them first)";
            for (String dependent : reverseFrom.getOrDefault(before.key(), List.of())) {
                DbObject column = to.objects().get(dependent);
                if (column == null || column.kind() != Kind.COLUMN || !from.objects().containsKey(dependent)
                        || dropped.contains("TABLE|" + column.schema() + "|null|" + column.table())) {
                    continue;
                }
                Step retype = step(Action.ALTER, column);
                retype.after.add(create);
                String alter = "ALTER TABLE " + table(column) + " ALTER COLUMN " + Identifiers.quote(column.name());
                if (from.objects().get(dependent).properties().containsKey("default")) {
                    retype.sql(alter + " DROP DEFAULT");
                }
                retype.sql(alter + " TYPE " + column.properties().get("type") + " USING " + Identifiers.quote(column.name())
                        + (domain ? "" : "::text") + "::" + column.properties().get("type"), warning);
                if (column.properties().containsKey("default")) {
                    retype.sql(alter + " SET DEFAULT " + column.properties().get("default"));
                }
            }
            Step drop = new Step(steps.size(), Action.DROP, before.key() + "#old", rank(Action.DROP, before) + 1);
            steps.add(drop);
            drop.sql("DROP " + (domain ? "DOMAIN " : "TYPE ") + Identifiers.qualified(before.schema(), before.name() + "__old"));
            for (Step step : steps) {
                if (step.action == Action.ALTER && step.key.startsWith("COLUMN|")) {
                    drop.after.add(step);
                }
            }
            drop.after.add(create);
        }

        /**
         * A default that calls a function which is dropped and created again (its result type
         * changes) would block the drop: it is dropped first, and set again (as the target has it)
         * once the new function exists and the column has its final shape.
         */
        private void defaultAround(String key) {
            DbObject column = to.objects().get(key);
            String alter = "ALTER TABLE " + table(column) + " ALTER COLUMN " + Identifiers.quote(column.name());
            Step drop = step(Action.DROP, from.objects().get(key));
            drop.sql(alter + " DROP DEFAULT");
            Step set = new Step(steps.size(), Action.CREATE, key, rank(Action.ALTER, column));
            set.after.add(drop);
            set.after.addAll(producing.getOrDefault(key, List.of()));
            steps.add(set);
            producing.computeIfAbsent(key, k -> new ArrayList<>()).add(set);
            set.sql(alter + " SET DEFAULT " + column.properties().get("default"));
        }

        /** {@code ALTER SEQUENCE ... OWNED BY} once both the sequence and its column exist. */
        private void ownership() {
            Set<String> sequences = new TreeSet<>(from.ownedBy().keySet());
            sequences.addAll(to.ownedBy().keySet());
            for (String key : sequences) {
                DbObject sequence = to.objects().get(key);
                String owner = to.ownedBy().get(key);
                if (sequence == null || Objects.equals(owner, from.ownedBy().get(key)) && !recreated.contains(key)
                        && from.objects().containsKey(key) && !recreatedTable(owner)) {
                    continue;
                }
                // not among the steps that produce the sequence: what uses the sequence (the owning
                // column's default) needs it created, not owned, and waiting for this would be a cycle
                Step step = new Step(steps.size(), Action.OWNED_BY, key, rank(Action.OWNED_BY, sequence));
                steps.add(step);
                if (owner == null) {
                    step.sql("ALTER SEQUENCE " + name(sequence) + " OWNED BY NONE");
                } else {
                    String[] parts = owner.split("\\|", 4);
                    step.sql("ALTER SEQUENCE " + name(sequence) + " OWNED BY " + Identifiers.qualified(parts[1], parts[2]) + "."
                            + Identifiers.quote(parts[3]));
                    step.after.addAll(producing.getOrDefault(owner, List.of()));
                    step.after.addAll(producing.getOrDefault("TABLE|" + parts[1] + "|null|" + parts[2], List.of()));
                }
                step.after.addAll(producing.getOrDefault(key, List.of()));
            }
        }

        private boolean recreatedTable(String column) {
            if (column == null) {
                return false;
            }
            String[] parts = column.split("\\|", 4);
            return recreated.contains("TABLE|" + parts[1] + "|null|" + parts[2]);
        }

        /**
         * The reference rows: per table a step of deletes (children before parents) and a step of
         * updates, inserts and sequence positions (parents before children), both placed before the
         * constraints that check them and after the columns they fill.
         */
        private void rows() {
            for (RowsChange change : diff.rows()) {
                TableRows before = from.rows().get(change.table());
                TableRows after = to.rows().get(change.table());
                if (after == null) {
                    continue; // the table goes, its rows with it
                }
                String target = Identifiers.qualified(after.schema(), after.name());
                Map<String, List<String>> old = before == null ? Map.of() : before.rows();
                Step deletes = rowStep(Action.ROWS_DELETE, after);
                old.forEach((key, values) -> {
                    if (!after.rows().containsKey(key)) {
                        deletes.sql("DELETE FROM " + target + " WHERE " + where(before, values), "deletes the row "
                                + TableRows.literal(values) + " of " + after.table() + " (data loss)");
                    }
                });
                Step upserts = rowStep(Action.ROWS, after);
                List<String> writable = writableColumns(after);
                after.rows().forEach((key, values) -> {
                    List<String> was = old.get(key);
                    if (was != null) {
                        Map<String, String> oldRow = before.byColumn(was);
                        Map<String, String> newRow = after.byColumn(values);
                        List<String> sets = new ArrayList<>();
                        for (String column : writable) {
                            if (!Objects.equals(oldRow.get(column), newRow.get(column))) {
                                sets.add(Identifiers.quote(column) + " = " + newRow.get(column));
                            }
                        }
                        if (!sets.isEmpty()) {
                            upserts.sql("UPDATE " + target + " SET " + String.join(", ", sets) + " WHERE " + where(before, was));
                        }
                    } else {
                        Map<String, String> row = after.byColumn(values);
                        upserts.sql("INSERT INTO " + target + " (" + String.join(", ", writable.stream().map(Identifiers::quote)
                                .toList()) + ")" + (hasIdentityAlways(after) ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES ("
                                + String.join(", ", writable.stream().map(row::get).toList()) + ")");
                    }
                });
                after.sequences().forEach((sequence, last) -> {
                    Long was = before == null ? null : before.sequences().get(sequence);
                    if (before == null || !before.sequences().containsKey(sequence) || !Objects.equals(was, last)) {
                        upserts.sql(last == null ? "SELECT pg_catalog.setval(" + literal(sequence) + ", 1, false)"
                                : "SELECT pg_catalog.setval(" + literal(sequence) + ", " + last + ", true)");
                    }
                });
            }
            steps.removeIf(step -> (step.action == Action.ROWS || step.action == Action.ROWS_DELETE) && step.statements.isEmpty());
        }

        private Step rowStep(Action action, TableRows rows) {
            Step step = new Step(steps.size(), action, rows.tableKey(), action == Action.ROWS_DELETE ? 9 : 47);
            steps.add(step);
            return step;
        }

        /** The columns a row statement may set: generated columns are computed by PostgreSQL. */
        private List<String> writableColumns(TableRows rows) {
            return rows.columns().stream().filter(column -> {
                DbObject object = to.objects().get("COLUMN|" + rows.schema() + "|" + rows.name() + "|" + column);
                return object == null || !object.properties().containsKey("generated");
            }).toList();
        }

        private boolean hasIdentityAlways(TableRows rows) {
            return rows.columns().stream().anyMatch(column -> {
                DbObject object = to.objects().get("COLUMN|" + rows.schema() + "|" + rows.name() + "|" + column);
                return object != null && "always".equals(object.properties().get("identity"));
            });
        }

        private static String where(TableRows table, List<String> values) {
            List<String> conditions = new ArrayList<>();
            List<String> columns = table.keyColumns().isEmpty() ? table.columns() : table.keyColumns();
            Map<String, String> row = table.byColumn(values);
            for (String column : columns) {
                String value = row.get(column);
                conditions.add(Identifiers.quote(column) + (value.equals("NULL") ? " IS NULL" : " = " + value));
            }
            return String.join(" AND ", conditions);
        }

        /** The edges of the reference-row steps. */
        private void linkRows() {
            Map<String, Step> deletes = new HashMap<>();
            Map<String, Step> upserts = new HashMap<>();
            for (Step step : steps) {
                if (step.action == Action.ROWS_DELETE) {
                    deletes.put(step.key, step);
                } else if (step.action == Action.ROWS) {
                    upserts.put(step.key, step);
                }
            }
            for (Map.Entry<String, Step> entry : upserts.entrySet()) {
                String table = entry.getKey();
                Step upsert = entry.getValue();
                if (deletes.containsKey(table)) {
                    upsert.after.add(deletes.get(table));
                }
                // after the table and its columns take their final shape
                for (String key : ownedKeys(to, table)) {
                    for (Step other : producing.getOrDefault(key, List.of())) {
                        if (!(other.action == Action.ALTER && other.setsNotNull)) {
                            upsert.after.add(other);
                        }
                    }
                }
                for (Step other : steps) {
                    // constraints of the table, and foreign keys into it, check the final rows
                    if (other.action == Action.CREATE && other.key.startsWith("CONSTRAINT|")
                            && (belongsTo(other.key, table) || referencesTable(to, other.key, table))) {
                        other.after.add(upsert);
                    }
                    if (other.setsNotNull && belongsTo(other.key, table)) {
                        other.after.add(upsert);
                    }
                }
                // parents' rows before children's
                for (String parent : referencedTables(to, table)) {
                    Step parentRows = upserts.get(parent);
                    if (parentRows != null && parentRows != upsert) {
                        upsert.after.add(parentRows);
                    }
                }
            }
            for (Map.Entry<String, Step> entry : deletes.entrySet()) {
                String table = entry.getKey();
                Step delete = entry.getValue();
                // once no dropped foreign key points at the rows; children's rows first
                for (Step other : steps) {
                    if (other.action == Action.DROP && other.key.startsWith("CONSTRAINT|") && referencesTable(from, other.key, table)) {
                        delete.after.add(other);
                    }
                }
                for (Map.Entry<String, Step> child : deletes.entrySet()) {
                    if (child.getValue() != delete && referencedTables(from, child.getKey()).contains(table)) {
                        delete.after.add(child.getValue());
                    }
                }
            }
        }

        /** The keys of a table and of its columns. */
        private static List<String> ownedKeys(Snapshot snapshot, String tableKey) {
            List<String> keys = new ArrayList<>(List.of(tableKey));
            DbObject table = snapshot.objects().get(tableKey);
            if (table != null) {
                columnsOf(snapshot, table).forEach(column -> keys.add(column.key()));
            }
            return keys;
        }

        private static boolean belongsTo(String key, String tableKey) {
            String[] table = tableKey.split("\\|", 4);
            String[] parts = key.split("\\|", 4);
            return parts[1].equals(table[1]) && parts[2].equals(table[3]);
        }

        /** Whether a foreign key refers to the table. */
        private static boolean referencesTable(Snapshot snapshot, String constraintKey, String tableKey) {
            return !belongsTo(constraintKey, tableKey)
                    && snapshot.dependenciesOf(constraintKey).stream().anyMatch(key -> belongsTo(key, tableKey)
                            || key.equals(tableKey));
        }

        /** The tables a table's foreign keys refer to. */
        private static Set<String> referencedTables(Snapshot snapshot, String tableKey) {
            Set<String> referenced = new TreeSet<>();
            for (DbObject constraint : snapshot.all(Kind.CONSTRAINT)) {
                if (constraint.label().equals("foreign key") && belongsTo(constraint.key(), tableKey)) {
                    for (String key : snapshot.dependenciesOf(constraint.key())) {
                        String[] parts = key.split("\\|", 4);
                        if (!parts[2].equals("null") && !belongsTo(key, tableKey)) {
                            referenced.add("TABLE|" + parts[1] + "|null|" + parts[2]);
                        }
                    }
                }
            }
            return referenced;
        }

        // ---------------------------------------------------------------- ordering

        /** The edges: creates after what they need in the target, drops after what needed them in the source. */
        private void link() {
            for (Step step : steps) {
                if (step.action == Action.DROP) {
                    for (String dependent : reverseFrom.getOrDefault(baseKey(step.key), List.of())) {
                        for (Step other : consuming.getOrDefault(dependent, List.of())) {
                            if (other != step) {
                                step.after.add(other);
                            }
                        }
                        // what goes with a dropped table goes when the table goes
                        DbObject object = from.objects().get(dependent);
                        if (object != null && object.table() != null) {
                            for (Step other : consuming.getOrDefault("TABLE|" + object.schema() + "|null|" + object.table(),
                                    List.of())) {
                                if (other != step && other.action == Action.DROP) {
                                    step.after.add(other);
                                }
                            }
                        }
                    }
                } else if (step.action != Action.ROWS && step.action != Action.ROWS_DELETE) {
                    for (String needed : needs(step.key)) {
                        for (Step other : producing.getOrDefault(needed, List.of())) {
                            if (other != step && other.action != Action.OWNED_BY) {
                                step.after.add(other);
                            }
                        }
                        // a name freed by a rename or a drop is free before it is taken
                        for (Step other : consuming.getOrDefault(needed, List.of())) {
                            if (other != step && other.action != Action.ALTER) {
                                step.after.add(other);
                            }
                        }
                    }
                    for (Step other : consuming.getOrDefault(step.key, List.of())) {
                        if (other != step && other.action == Action.DROP && step.action == Action.CREATE) {
                            step.after.add(other);
                        }
                    }
                    if (step.action == Action.CREATE && step.key.startsWith("SEQUENCE|")) {
                        step.after.addAll(identityDrops);
                    }
                    if (step.action == Action.ALTER) {
                        // an altered column waits for the drops of what depended on its old shape
                        for (String dependent : reverseFrom.getOrDefault(step.key, List.of())) {
                            for (Step other : consuming.getOrDefault(dependent, List.of())) {
                                if (other.action == Action.DROP) {
                                    step.after.add(other);
                                }
                            }
                        }
                    }
                }
            }
            linkRows();
        }

        private static String baseKey(String key) {
            return key.endsWith("#old") ? key.substring(0, key.length() - 4) : key;
        }

        /** What an object of the target needs first: its pg_depend references, its table, its columns' needs. */
        private Set<String> needs(String key) {
            Set<String> needs = new LinkedHashSet<>(to.dependenciesOf(key));
            DbObject object = to.objects().get(key);
            if (object == null) {
                return needs;
            }
            if (object.kind() == Kind.PRIVILEGE) {
                needs.add(privilegeSubject(object));
            } else if (object.table() != null) {
                needs.add("TABLE|" + object.schema() + "|null|" + object.table());
            }
            if (object.schema() != null) {
                needs.add("SCHEMA|null|null|" + object.schema());
            }
            if (object.kind() == Kind.TABLE) {
                for (DbObject column : columnsOf(to, object)) {
                    needs.addAll(to.dependenciesOf(column.key()));
                }
                needs.remove(key);
            }
            return needs;
        }

        private List<MigrationScript.Statement> order() {
            Map<Step, Integer> waiting = new HashMap<>();
            Map<Step, List<Step>> followers = new HashMap<>();
            for (Step step : steps) {
                waiting.put(step, step.after.size());
                for (Step before : step.after) {
                    followers.computeIfAbsent(before, s -> new ArrayList<>()).add(step);
                }
            }
            PriorityQueue<Step> ready = new PriorityQueue<>(Comparator.comparingInt((Step s) -> s.rank)
                    .thenComparing(s -> s.key).thenComparingInt(s -> s.id));
            waiting.forEach((step, count) -> {
                if (count == 0) {
                    ready.add(step);
                }
            });
            List<MigrationScript.Statement> ordered = new ArrayList<>();
            Set<Step> done = new HashSet<>();
            while (!ready.isEmpty()) {
                Step step = ready.poll();
                done.add(step);
                ordered.addAll(step.statements);
                for (Step follower : followers.getOrDefault(step, List.of())) {
                    if (waiting.merge(follower, -1, Integer::sum) == 0) {
                        ready.add(follower);
                    }
                }
            }
            if (done.size() < steps.size()) {
                // a cycle the rules did not foresee: keep every statement, in rank order, and say so
                steps.stream().filter(s -> !done.contains(s)).sorted(Comparator.comparingInt((Step s) -> s.rank))
                        .forEach(s -> s.statements.forEach(statement -> ordered.add(new MigrationScript.Statement(
                                statement.sql(), "the order of this statement could not be derived; review it", true))));
            }
            return ordered;
        }

        /** Among ready steps: drops (dependents first), renames, then creates and alters (types first, foreign keys late). */
        private static int rank(Action action, DbObject object) {
            boolean foreignKey = object.kind() == Kind.CONSTRAINT && object.label().equals("foreign key");
            if (action == Action.DROP) {
                return switch (object.kind()) {
                    case TRIGGER, POLICY, PRIVILEGE -> 10;
                    case VIEW -> 11;
                    case CONSTRAINT -> foreignKey ? 12 : 13;
                    case INDEX -> 14;
                    case FUNCTION -> 15;
                    case COLUMN -> 16;
                    case TABLE -> 17;
                    case SEQUENCE -> 18;
                    case TYPE -> 19;
                    case EXTENSION -> 20;
                    case SCHEMA -> 21;
                };
            }
            if (action == Action.RENAME) {
                return 30;
            }
            if (action == Action.OWNED_BY) {
                return 80;
            }
            return switch (object.kind()) {
                case SCHEMA -> 40;
                case EXTENSION -> 41;
                case TYPE -> 42;
                case FUNCTION -> 43;
                case SEQUENCE -> 44;
                case TABLE -> 45;
                case COLUMN -> 46;
                case CONSTRAINT -> foreignKey ? 49 : 48;
                case INDEX -> 50;
                case VIEW -> 51;
                case TRIGGER -> 52;
                case POLICY -> 53;
                case PRIVILEGE -> 54;
            };
        }

        // ---------------------------------------------------------------- SQL pieces

        private boolean isNewTable(DbObject column) {
            String table = "TABLE|" + column.schema() + "|null|" + column.table();
            return !from.objects().containsKey(table) || recreated.contains(table);
        }

        private static List<DbObject> columnsOf(Snapshot snapshot, DbObject table) {
            List<String> order = snapshot.columnOrder().getOrDefault(table.schema() + "." + table.name(), List.of());
            List<DbObject> columns = new ArrayList<>();
            for (String column : order) {
                DbObject object = snapshot.objects().get("COLUMN|" + table.schema() + "|" + table.name() + "|" + column);
                if (object != null) {
                    columns.add(object);
                }
            }
            return columns;
        }

        private String createTable(DbObject table) {
            Map<String, String> p = table.properties();
            String name = name(table);
            if (p.containsKey("partition of")) {
                String of = p.get("partition of");
                return "CREATE TABLE " + name + " PARTITION OF " + of.replaceFirst(" ", " ")
                        + (p.containsKey("partition key") ? " PARTITION BY " + p.get("partition key") : "");
            }
            List<String> columns = columnsOf(to, table).stream().map(ScriptGenerator.Generation::columnDefinition).toList();
            StringBuilder sql = new StringBuilder("CREATE ");
            if (p.containsKey("unlogged")) {
                sql.append("UNLOGGED ");
            }
            sql.append("TABLE ").append(name).append(" (");
            if (!columns.isEmpty()) {
                sql.append("\n    ").append(String.join(",\n    ", columns)).append('\n');
            }
            sql.append(')');
            if (p.containsKey("inherits")) {
                sql.append(" INHERITS (").append(p.get("inherits")).append(')');
            }
            if (p.containsKey("partition key")) {
                sql.append(" PARTITION BY ").append(p.get("partition key"));
            }
            if (p.containsKey("options")) {
                sql.append(" WITH (").append(p.get("options")).append(')');
            }
            StringBuilder all = new StringBuilder(sql);
            if (p.containsKey("row level security")) {
                all.append(";\nALTER TABLE ").append(name).append(" ENABLE ROW LEVEL SECURITY");
            }
            if (p.containsKey("forced row level security")) {
                all.append(";\nALTER TABLE ").append(name).append(" FORCE ROW LEVEL SECURITY");
            }
            return all.toString();
        }

        private static String columnDefinition(DbObject column) {
            Map<String, String> p = column.properties();
            StringBuilder sql = new StringBuilder(Identifiers.quote(column.name())).append(' ').append(p.get("type"));
            if (p.containsKey("collation")) {
                sql.append(" COLLATE ").append(p.get("collation"));
            }
            if (p.containsKey("generated")) {
                String expression = p.get("generated");
                boolean virtual = expression.endsWith(" VIRTUAL");
                sql.append(" GENERATED ALWAYS AS (").append(virtual ? expression.substring(0, expression.length() - 8) : expression)
                        .append(virtual ? ") VIRTUAL" : ") STORED");
            }
            if (p.containsKey("identity")) {
                sql.append(" GENERATED ").append(p.get("identity").equals("always") ? "ALWAYS" : "BY DEFAULT")
                        .append(" AS IDENTITY").append(identityOptions(column));
            }
            if (p.containsKey("default")) {
                sql.append(" DEFAULT ").append(p.get("default"));
            }
            if (p.containsKey("not null")) {
                sql.append(" NOT NULL");
            }
            return sql.toString();
        }

        /** {@code  (INCREMENT BY 2 START WITH 10)} after {@code AS IDENTITY}, or nothing for the defaults. */
        private static String identityOptions(DbObject column) {
            String options = column.properties().get("identity options");
            return options == null ? "" : " (" + options + ")";
        }

        /**
         * Every option of an identity's sequence, each {@code SET} even when it is a default: the
         * snapshot leaves defaults out, and a default minimum or start follows the increment's sign,
         * so an option that goes back to its default must still be written.
         */
        private static String identitySequence(String options) {
            Map<String, String> values = new HashMap<>();
            java.util.regex.Matcher option = java.util.regex.Pattern
                    .compile("(INCREMENT BY|MINVALUE|MAXVALUE|START WITH|CACHE) (-?\\d+)").matcher(String.valueOf(options));
            while (option.find()) {
                values.put(option.group(1), option.group(2));
            }
            long increment = Long.parseLong(values.getOrDefault("INCREMENT BY", "1"));
            // PostgreSQL's default start is the minimum going up, the maximum going down
            String start = values.getOrDefault("START WITH", increment > 0 ? values.getOrDefault("MINVALUE", "1")
                    : values.getOrDefault("MAXVALUE", "-1"));
            return " SET INCREMENT BY " + increment
                    + (values.containsKey("MINVALUE") ? " SET MINVALUE " + values.get("MINVALUE") : " SET NO MINVALUE")
                    + (values.containsKey("MAXVALUE") ? " SET MAXVALUE " + values.get("MAXVALUE") : " SET NO MAXVALUE")
                    + " SET START WITH " + start
                    + " SET CACHE " + values.getOrDefault("CACHE", "1")
                    + (options != null && options.endsWith("CYCLE") ? " SET CYCLE" : " SET NO CYCLE");
        }

        private void grants(Step step, DbObject privilege) {
            String target = privilegeTarget(privilege);
            List<String> plain = new ArrayList<>();
            List<String> grantable = new ArrayList<>();
            String all = privilege.properties().get("granted");
            for (String granted : all == null ? new String[0] : all.split(", ")) {
                if (granted.endsWith(" WITH GRANT OPTION")) {
                    grantable.add(granted.substring(0, granted.length() - " WITH GRANT OPTION".length()));
                } else {
                    plain.add(granted);
                }
            }
            if (!plain.isEmpty()) {
                step.sql("GRANT " + String.join(", ", plain) + " ON " + target + " TO " + privilege.name());
            }
            if (!grantable.isEmpty()) {
                step.sql("GRANT " + String.join(", ", grantable) + " ON " + target + " TO " + privilege.name()
                        + " WITH GRANT OPTION");
            }
        }

        private static String privilegeTarget(DbObject privilege) {
            String on = String.valueOf(privilege.properties().get("on"));
            String routine = privilege.table().contains("(") ? Identifiers.qualified(privilege.schema(),
                    privilege.table().substring(0, privilege.table().indexOf('('))) + privilege.table().substring(
                    privilege.table().indexOf('(')) : null;
            return switch (on) {
                case "sequence" -> "SEQUENCE " + Identifiers.qualified(privilege.schema(), privilege.table());
                case "schema" -> "SCHEMA " + Identifiers.quote(privilege.table());
                // an aggregate is granted as a function: there is no GRANT ... ON AGGREGATE
                case "function" -> "FUNCTION " + routine;
                case "procedure" -> "PROCEDURE " + routine;
                default -> "TABLE " + Identifiers.qualified(privilege.schema(), privilege.table());
            };
        }

        /** The key of what a privilege is on (a view's privileges are keyed as its table's). */
        private static String privilegeSubject(DbObject privilege) {
            return switch (String.valueOf(privilege.properties().get("on"))) {
                case "schema" -> "SCHEMA|null|null|" + privilege.table();
                case "function", "procedure" -> "FUNCTION|" + privilege.schema() + "|null|" + privilege.table();
                default -> "TABLE|" + privilege.schema() + "|null|" + privilege.table();
            };
        }

        /** PUBLIC's privileges on a routine, which by default may run it. */
        private static boolean isRoutinePublic(DbObject privilege) {
            String on = privilege.properties().get("on");
            return privilege.name().equals("PUBLIC") && ("function".equals(on) || "procedure".equals(on));
        }

        private static String triggerState(DbObject trigger) {
            String state = trigger.properties().get("state");
            String clause = state == null ? "ENABLE" : switch (state) {
                case "disabled" -> "DISABLE";
                case "enabled on replica" -> "ENABLE REPLICA";
                case "enabled always" -> "ENABLE ALWAYS";
                default -> "ENABLE";
            };
            return "ALTER TABLE " + table(trigger) + " " + clause + " TRIGGER " + Identifiers.quote(trigger.name());
        }

        private static String comment(DbObject object, String text) {
            String target = switch (object.kind()) {
                case SCHEMA -> "SCHEMA " + Identifiers.quote(object.name());
                case EXTENSION -> "EXTENSION " + Identifiers.quote(object.name());
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
        private static String name(DbObject object) {
            String name = object.kind() == Kind.FUNCTION ? object.name().substring(0, object.name().indexOf('('))
                    : object.name();
            return Identifiers.qualified(object.schema(), name);
        }

        private static String arguments(DbObject function) {
            String arguments = function.name().substring(function.name().indexOf('('));
            // identity arguments of a procedure carry their mode ("IN x integer"), which DROP accepts as is
            return arguments;
        }

        private static String table(DbObject object) {
            return Identifiers.qualified(object.schema(), object.table());
        }

        private static String optionNames(String options) {
            List<String> names = new ArrayList<>();
            for (String option : options.split(", ")) {
                names.add(option.contains("=") ? option.substring(0, option.indexOf('=')) : option);
            }
            return String.join(", ", names);
        }

        private static String literal(String text) {
            return "'" + text.replace("'", "''") + "'";
        }

        private static String stripSemicolon(String definition) {
            String text = definition.strip();
            return text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
        }

        private static String stripTrailingNewline(String text) {
            return text.stripTrailing();
        }

        /** Whether a type change may not keep every value (anything but a known widening). */
        private static boolean narrowing(String before, String after) {
            if (before == null || after == null || before.equals(after)) {
                return false;
            }
            Map<String, Integer> integers = Map.of("smallint", 1, "integer", 2, "bigint", 3);
            if (integers.containsKey(before) && integers.containsKey(after)) {
                return integers.get(after) < integers.get(before);
            }
            if (after.equals("text") && (before.startsWith("character varying") || before.startsWith("character("))) {
                return false;
            }
            java.util.regex.Matcher a = java.util.regex.Pattern.compile("character varying\\((\\d+)\\)").matcher(before);
            java.util.regex.Matcher b = java.util.regex.Pattern.compile("character varying(\\((\\d+)\\))?").matcher(after);
            if (a.matches() && b.matches()) {
                return b.group(2) != null && Integer.parseInt(b.group(2)) < Integer.parseInt(a.group(1));
            }
            if ((before.equals("real") && after.equals("double precision"))
                    || (integers.containsKey(before) && (after.equals("numeric") || after.equals("double precision")))) {
                return false;
            }
            return true;
        }
    }
}
