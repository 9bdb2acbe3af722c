package org.bemserver.schema.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.catalog.DbObject;
import org.bemserver.schema.catalog.Kind;

/**
 * The differences between two snapshots, and their readable report.
 *
 * @param changes object changes, in a deterministic order
 * @param columnOrder tables whose common columns come in another order
 * @param rows reference tables whose rows differ
 */
public record SchemaDiff(List<Change> changes, List<ColumnOrderChange> columnOrder, List<RowsChange> rows) {

    /** No difference. */
    public static final SchemaDiff NONE = new SchemaDiff(List.of(), List.of(), List.of());

    /** How many lines of a text diff a report shows per property. */
    private static final int TEXT_DIFF_LINES = 12;

    public SchemaDiff {
        changes = List.copyOf(changes);
        columnOrder = List.copyOf(columnOrder);
        rows = List.copyOf(rows);
    }

    /** Whether the two snapshots differ; column order counts only when {@code strictColumnOrder}. */
    public boolean hasDifferences(boolean strictColumnOrder) {
        return !changes.isEmpty() || !rows.isEmpty() || (strictColumnOrder && !columnOrder.isEmpty());
    }

    /** The same differences without the sequence positions of reference tables. */
    public SchemaDiff withoutSequencePositions() {
        List<RowsChange> kept = rows.stream()
                .map(t -> new RowsChange(t.table(), t.added(), t.removed(), t.changed(), List.of()))
                .filter(t -> !t.isEmpty())
                .toList();
        return new SchemaDiff(changes, columnOrder, kept);
    }

    /**
     * The report, one line per difference ({@code + table public.spaces}, {@code - index public.ix_old},
     * {@code ~ column public.campaigns.timezone: default 'UTC'::character varying -> 'Europe/Paris'::character varying},
     * {@code ~ rows public.ts_data_states: + (3, 'Validated')}), long texts followed by an indented
     * line diff; column order last.
     */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        for (Change change : changes) {
            DbObject object = change.object();
            String subject = object.label() + " " + object.displayName();
            switch (change.type()) {
                case ADDED -> lines.add("+ " + subject);
                case REMOVED -> lines.add("- " + subject);
                case RENAMED ->
                    lines.add("= " + subject + ": same definition as "
                            + change.before().displayName() + " under another name ("
                            + renameStatement(change.before(), change.after()) + ")");
                case CHANGED -> changed(lines, subject, change);
            }
        }
        for (RowsChange table : rows) {
            String subject = "~ rows " + table.table() + ": ";
            table.removed().forEach(row -> lines.add(subject + "- " + row));
            table.changed().forEach(row -> lines.add(subject + "~ " + row));
            table.added().forEach(row -> lines.add(subject + "+ " + row));
            table.sequences().forEach(sequence -> lines.add(subject + "sequence " + sequence));
        }
        for (ColumnOrderChange order : columnOrder) {
            lines.add("~ column order of " + order.table() + ": (" + String.join(", ", order.before()) + ") -> ("
                    + String.join(", ", order.after()) + ")");
        }
        return lines;
    }

    private static void changed(List<String> lines, String subject, Change change) {
        List<String> shortOnes = new ArrayList<>();
        List<PropertyChange> longOnes = new ArrayList<>();
        for (PropertyChange property : change.properties()) {
            if (isLong(property.before()) || isLong(property.after())) {
                longOnes.add(property);
            } else {
                shortOnes.add(property.name() + " " + value(property.before(), property.after()) + " -> "
                        + value(property.after(), property.before()));
            }
        }
        for (PropertyChange property : longOnes) {
            shortOnes.add(property.name() + " differs");
        }
        lines.add("~ " + subject + ": " + String.join("; ", shortOnes));
        for (PropertyChange property : longOnes) {
            TextDiff.lines(property.before(), property.after(), TEXT_DIFF_LINES)
                    .forEach(line -> lines.add("    " + line));
        }
    }

    private static boolean isLong(String value) {
        return value != null && (value.contains("\n") || value.length() > 100);
    }

    /** A value for a report; a flag that is off on one side reads {@code no}. */
    private static String value(String value, String other) {
        if (value == null) {
            return "yes".equals(other) ? "no" : "(none)";
        }
        return value;
    }

    /** The statement that gives {@code before} the name of {@code after}. */
    static String renameStatement(DbObject before, DbObject after) {
        String newName = Identifiers.quote(bareName(after));
        String table = before.table() == null ? null : Identifiers.qualified(before.schema(), before.table());
        String object = Identifiers.qualified(before.schema(), bareName(before));
        return switch (before.kind()) {
            case COLUMN ->
                "ALTER TABLE " + table + " RENAME COLUMN " + Identifiers.quote(before.name()) + " TO " + newName;
            case CONSTRAINT ->
                "ALTER TABLE " + table + " RENAME CONSTRAINT " + Identifiers.quote(before.name()) + " TO " + newName;
            case TRIGGER, POLICY ->
                "ALTER " + before.kind().name() + " " + Identifiers.quote(before.name()) + " ON " + table
                        + " RENAME TO " + newName;
            case INDEX -> "ALTER INDEX " + object + " RENAME TO " + newName;
            case FUNCTION ->
                "ALTER "
                        + (before.label().equals("procedure")
                                ? "PROCEDURE"
                                : before.label().equals("aggregate") ? "AGGREGATE" : "FUNCTION")
                        + " " + object + arguments(before) + " RENAME TO " + newName;
            case TYPE ->
                "ALTER " + (before.label().equals("domain") ? "DOMAIN" : "TYPE") + " " + object + " RENAME TO "
                        + newName;
            case VIEW -> "ALTER " + before.label().toUpperCase(Locale.ROOT) + " " + object + " RENAME TO " + newName;
            case COLLATION -> "ALTER COLLATION " + object + " RENAME TO " + newName;
            case SEQUENCE -> "ALTER SEQUENCE " + object + " RENAME TO " + newName;
            case TABLE -> "ALTER TABLE " + object + " RENAME TO " + newName;
            case SCHEMA -> "ALTER SCHEMA " + Identifiers.quote(before.name()) + " RENAME TO " + newName;
            case EXTENSION, PRIVILEGE -> "no rename: drop and create";
        };
    }

    private static String bareName(DbObject object) {
        return object.kind() == Kind.FUNCTION
                ? object.name().substring(0, object.name().indexOf('('))
                : object.name();
    }

    private static String arguments(DbObject function) {
        return function.name().substring(function.name().indexOf('('));
    }
}
