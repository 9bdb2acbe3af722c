package org.bemserver.schema.diff;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.catalog.TableRows;

/**
 * What one change allows on its own, before anything that depends on the object is considered:
 * whether PostgreSQL can alter the object in place or it is dropped and created again, whether an
 * enum only gains labels, and whether a type change may lose values. {@link ChangePlan} spreads
 * these decisions over what depends on each object.
 */
final class ChangeRules {

    private static final Map<String, Integer> INTEGERS = Map.of("smallint", 1, "integer", 2, "bigint", 3);
    private static final Pattern VARCHAR = Pattern.compile("character varying\\((\\d+)\\)");
    private static final Pattern VARCHAR_ANY = Pattern.compile("character varying(\\((\\d+)\\))?");

    /** The target: a label an enum gains may not be used in the same script. */
    private final Snapshot to;
    /** The PostgreSQL major the script is for: some statements exist only from a major on. */
    private final int serverMajor;
    /** Whether a column of a table uses a type of the source (its type, or an array of it). */
    private final Predicate<DbObject> usedByColumns;

    ChangeRules(Snapshot to, int serverMajor, Predicate<DbObject> usedByColumns) {
        this.to = to;
        this.serverMajor = serverMajor;
        this.usedByColumns = usedByColumns;
    }

    /** Whether a changed object is dropped and created again rather than altered. */
    boolean needsRecreate(Change change) {
        DbObject after = change.after();
        if (changes(change, SchemaComparison.KIND)) {
            return true;
        }
        return switch (after.kind()) {
            case TYPE ->
                !after.label().equals("enum")
                        && changes(change, "definition")
                        && !(after.label().equals("composite") && compositeInPlace(change));
            case COLLATION -> changes(change, "definition");
            // PostgreSQL has no downgrade script for most extensions: drop and create at the older version
            case EXTENSION ->
                changes(change, "version")
                        && compareVersions(
                                        change.after().properties().get("version"),
                                        change.before().properties().get("version"))
                                < 0;
            case TABLE -> changes(change, "partition key", "partition of", "inherits");
            // ALTER COLUMN ... SET EXPRESSION came with PostgreSQL 17: before it a new expression
            // means a new column (its values are computed again, nothing is lost)
            case COLUMN ->
                changes(change, "generated")
                        && (change.before().properties().get("generated") == null
                                || change.after().properties().get("generated") == null
                                || serverMajor < 17);
            case CONSTRAINT, POLICY -> changes(change, "definition");
            case INDEX -> changes(change, "definition", "invalid");
            case VIEW -> changes(change, "definition", "options", "with no data");
            case TRIGGER -> changes(change, "definition");
            case FUNCTION -> changes(change, "body") && !replaceable(change);
            default -> false;
        };
    }

    /** A function whose result stays the same can be replaced in place, keeping what uses it. */
    private static boolean replaceable(Change change) {
        String label = change.after().label();
        return (label.equals("function") || label.equals("procedure"))
                && Objects.equals(returns(change.before()), returns(change.after()));
    }

    private static String returns(DbObject function) {
        return String.valueOf(function.properties().get("body"))
                .lines()
                .filter(line -> line.strip().startsWith("RETURNS "))
                .findFirst()
                .orElse("");
    }

    /**
     * Whether ALTER TYPE can give a composite type its new attributes: dropped ones dropped,
     * new ones added at the end (so those it keeps stay in their order, before the new ones),
     * and kept ones retyped only while no column uses the type (PostgreSQL refuses that).
     */
    private boolean compositeInPlace(Change change) {
        Map<String, String> before = TypeDefinitions.attributes(change.before());
        Map<String, String> after = TypeDefinitions.attributes(change.after());
        List<String> order = new ArrayList<>(
                before.keySet().stream().filter(after::containsKey).toList());
        after.keySet().stream().filter(name -> !before.containsKey(name)).forEach(order::add);
        if (!order.equals(List.copyOf(after.keySet()))) {
            return false;
        }
        boolean retypes = before.entrySet().stream()
                .anyMatch(a ->
                        after.containsKey(a.getKey()) && !after.get(a.getKey()).equals(a.getValue()));
        return !retypes || !usedByColumns.test(change.before());
    }

    /** Whether the labels of the target only add to those of the source, in the same order. */
    boolean enumAppendOnly(Change change) {
        List<String> before = TypeDefinitions.labels(change.before());
        List<String> after = TypeDefinitions.labels(change.after());
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
                    && object.properties().values().stream()
                            .anyMatch(v -> added.stream().anyMatch(v::contains))) {
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

    /** Whether any of {@code properties} is among those the change changes. */
    static boolean changes(Change change, String... properties) {
        return change.properties().stream().anyMatch(p -> List.of(properties).contains(p.name()));
    }

    /** Whether a type change may not keep every value (anything but a known widening). */
    static boolean narrowing(String before, String after) {
        if (before == null || after == null || before.equals(after)) {
            return false;
        }
        if (INTEGERS.containsKey(before) && INTEGERS.containsKey(after)) {
            return INTEGERS.get(after) < INTEGERS.get(before);
        }
        if (after.equals("text") && (before.startsWith("character varying") || before.startsWith("character("))) {
            return false;
        }
        Matcher a = VARCHAR.matcher(before);
        Matcher b = VARCHAR_ANY.matcher(after);
        if (a.matches() && b.matches()) {
            return b.group(2) != null && Integer.parseInt(b.group(2)) < Integer.parseInt(a.group(1));
        }
        if ((before.equals("real") && after.equals("double precision"))
                || (INTEGERS.containsKey(before) && (after.equals("numeric") || after.equals("double precision")))) {
            return false;
        }
        return true;
    }

    /** Compares extension versions number by number ({@code 1.10} after {@code 1.9}), then as text. */
    private static int compareVersions(String a, String b) {
        String[] x = String.valueOf(a).split("\\D+");
        String[] y = String.valueOf(b).split("\\D+");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].isEmpty() && !y[i].isEmpty() && !x[i].equals(y[i])) {
                return new BigInteger(x[i]).compareTo(new BigInteger(y[i]));
            }
        }
        return x.length != y.length
                ? Integer.compare(x.length, y.length)
                : String.valueOf(a).compareTo(String.valueOf(b));
    }
}
