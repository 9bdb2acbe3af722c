package org.bemserver.schema.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bemserver.schema.lint.Finding.Level;

/**
 * Turns what was measured around one statement into findings. The measurement decides whether there
 * is a finding; the statement's words only choose which safe alternative to write out.
 */
final class Rules {

    /** Lock modes that block writes (and, for ACCESS EXCLUSIVE, reads) of the table. */
    private static final Set<String> BLOCKS_WRITES =
            Set.of("ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    static final String ACCESS_EXCLUSIVE = "AccessExclusiveLock";

    /** What static linters flag on the words alone; shown as cleared when the measurement finds nothing. */
    private static final Map<Pattern, String> STATIC = Map.of(
            Pattern.compile("\\bADD (COLUMN )?.*\\bDEFAULT\\b"),
                    "ADD COLUMN ... DEFAULT (static linters assume a rewrite)",
            Pattern.compile("\\bALTER (COLUMN )?\\S+ (SET DATA )?TYPE\\b"),
                    "ALTER COLUMN ... TYPE (static linters assume a rewrite)",
            Pattern.compile("\\bSET NOT NULL\\b"), "SET NOT NULL (static linters assume a full scan)",
            Pattern.compile("^(?!.*NOT VALID).*\\bADD (CONSTRAINT \\S+ )?(CHECK|FOREIGN KEY)\\b"),
                    "ADD CONSTRAINT without NOT VALID (static linters assume a full scan)",
            Pattern.compile("^CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)"),
                    "CREATE INDEX without CONCURRENTLY (static " + "linters assume a build under SHARE)");

    private Rules() {}

    /** PostgreSQL's {@code AccessExclusiveLock} as the documentation names it: {@code ACCESS EXCLUSIVE}. */
    static String mode(String lock) {
        return lock.replace("Lock", "").replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
    }

    /**
     * The findings of one statement.
     *
     * @param words the statement's words (upper case, comments dropped)
     * @param tables the tables that existed before the revision, by oid
     * @param before the reading before the statement
     * @param after the reading after it
     * @param lockTimeoutConfigured whether {@code bemserver.lockTimeout} is set
     */
    static List<Finding> of(
            String words,
            Map<Long, String> tables,
            Probe.Reading before,
            Probe.Reading after,
            boolean lockTimeoutConfigured) {
        List<Finding> findings = new ArrayList<>();
        // the tables this statement locked against writes (a foreign key locks both of its tables)
        List<String> writeLocked = new ArrayList<>();
        for (Map.Entry<Long, String> table : tables.entrySet()) {
            if (after.locksAdded(before, table.getKey()).stream().anyMatch(BLOCKS_WRITES::contains)) {
                writeLocked.add(table.getValue());
            }
        }
        for (Map.Entry<Long, String> table : tables.entrySet()) {
            long oid = table.getKey();
            String name = table.getValue();
            TreeSet<String> held = after.locks().getOrDefault(oid, new TreeSet<>());
            TreeSet<String> added = after.locksAdded(before, oid);
            boolean exists = after.files().containsKey(oid);
            boolean rewritten = after.rewritten(before, oid);
            boolean scanned = after.scanned(before, oid);
            String strongest = strongest(held);
            if (rewritten) {
                findings.add(new Finding(
                        "table-rewrite",
                        Level.ERROR,
                        "rewrites " + name + " under " + mode(strongest) + ": reads and writes wait for the whole "
                                + "rewrite",
                        rewriteFix(words)));
            } else if (scanned && strongest != null && BLOCKS_WRITES.contains(strongest)) {
                findings.add(scanFinding(words, name, strongest, writeLocked));
            }
            if (added.contains(ACCESS_EXCLUSIVE) && "0".equals(after.lockTimeout()) && !lockTimeoutConfigured) {
                findings.add(new Finding(
                        "lock-timeout",
                        Level.WARNING,
                        "takes ACCESS EXCLUSIVE on " + name + " with no lock_timeout in force: queued behind one long "
                                + "query, it blocks every query on the table after it",
                        "set bemserver.lockTimeout (e.g. 5s), or SET lock_timeout = '5s' at the top of the script, "
                                + "and retry the revision when it times out"));
            }
            findings.addAll(breaking(name, before, after, oid, exists));
        }
        return findings;
    }

    private static Finding scanFinding(String words, String name, String lock, List<String> writeLocked) {
        String blocks = lock.equals(ACCESS_EXCLUSIVE) ? "reads and writes wait" : "writes wait";
        String measured = "scans " + name + " in full under " + mode(lock) + ": " + blocks + " for the whole scan";
        if (words.matches("^CREATE (UNIQUE )?INDEX .*")) {
            return new Finding(
                    "index-without-concurrently",
                    Level.ERROR,
                    "builds an index on " + name + " under " + mode(lock) + ": " + blocks + " for the whole build",
                    "CREATE INDEX CONCURRENTLY, in a revision of its own (it cannot run in a transaction)");
        }
        if (words.contains("FOREIGN KEY") || words.contains(" REFERENCES ")) {
            boolean both = writeLocked.size() > 1;
            return new Finding(
                    "foreign-key-validation",
                    Level.ERROR,
                    measured + (both ? " (writes to " + String.join(" and ", writeLocked) + " wait)" : ""),
                    "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later revision "
                            + "(SHARE UPDATE EXCLUSIVE: reads and writes go on)");
        }
        if (words.contains("SET NOT NULL")) {
            return new Finding(
                    "not-null-scan",
                    Level.ERROR,
                    measured,
                    "ADD CONSTRAINT ... CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later "
                            + "revision, then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the CHECK");
        }
        if (words.contains("UNIQUE") || words.contains("PRIMARY KEY")) {
            return new Finding(
                    "unique-scan",
                    Level.ERROR,
                    measured,
                    "CREATE UNIQUE INDEX CONCURRENTLY in a revision of its own, then ADD CONSTRAINT ... "
                            + "UNIQUE/PRIMARY KEY USING INDEX");
        }
        if (words.contains("CHECK")) {
            return new Finding(
                    "check-validation",
                    Level.ERROR,
                    measured,
                    "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later revision "
                            + "(SHARE UPDATE EXCLUSIVE: reads and writes go on)");
        }
        return new Finding(
                "scan-under-lock",
                Level.ERROR,
                measured,
                words.matches("^(UPDATE|DELETE|INSERT|WITH)\\b.*")
                        ? "change the rows in a revision of their own, in batches, with no ALTER of the table in the "
                                + "same transaction (its lock is held until the commit)"
                        : "split the change so that the scan runs under a weaker lock (NOT VALID + VALIDATE, "
                                + "CONCURRENTLY), or add the column nullable and SET NOT NULL in a later revision");
    }

    private static String rewriteFix(String words) {
        if (words.matches(".*\\b(SET DATA )?TYPE\\b.*")) {
            return "add a column of the new type, backfill it in batches, and switch to it in a later revision "
                    + "(widening varchar(n) to a larger n or to text is no rewrite)";
        }
        if (words.contains("ADD")) {
            return "add the column without the volatile default (a constant default is no rewrite), backfill it "
                    + "in batches, then SET DEFAULT";
        }
        return "change the table without rewriting it, or in batches into a new table";
    }

    /** What breaks the application version that still runs during a rolling deploy. */
    private static List<Finding> breaking(
            String name, Probe.Reading before, Probe.Reading after, long oid, boolean exists) {
        List<Finding> findings = new ArrayList<>();
        String keep = "keep the old form until no running version uses it: drop it in the release after the one "
                + "that stops using it";
        if (!exists) {
            if (before.files().containsKey(oid)) {
                findings.add(new Finding(
                        "drop-table",
                        Level.WARNING,
                        "drops " + name + ": the application version still running reads it",
                        keep));
            }
            return findings;
        }
        // compared by the readings' own names: name may carry the live size, "public.sites (48 GB, ...)"
        String was = before.names().get(oid);
        String now = after.names().get(oid);
        if (was != null && now != null && !was.equals(now)) {
            findings.add(new Finding(
                    "rename-table",
                    Level.WARNING,
                    "renames " + name + " to " + now + ": the application version still running uses the old name",
                    "create the new table (or a view under the old name) and move in steps"));
        }
        Map<String, String> old = before.columns().getOrDefault(oid, Map.of());
        Map<String, String> columns = after.columns().getOrDefault(oid, Map.of());
        for (Map.Entry<String, String> column : old.entrySet()) {
            String newer = columns.get(column.getKey());
            if (newer == null) {
                findings.add(new Finding(
                        "drop-column",
                        Level.WARNING,
                        "drops or renames column " + column.getKey() + " of " + name
                                + ": the application version still running reads it",
                        keep));
                continue;
            }
            // by what the type is, then by its name now: a type renamed changes no column
            String type = after.typeName(column.getValue());
            String newType = after.typeName(newer);
            if (!Probe.Reading.typeIdentity(column.getValue()).equals(Probe.Reading.typeIdentity(newer))
                    && !type.equals(newType)
                    && !widens(type, newType)) {
                findings.add(new Finding(
                        "narrow-type",
                        Level.WARNING,
                        "changes column " + column.getKey() + " of " + name + " from " + type + " to " + newType
                                + ": values the running version writes may no longer fit",
                        "widen only (a larger varchar, text, a larger numeric precision), or add a new column"));
            }
        }
        for (Map.Entry<String, String> column : columns.entrySet()) {
            String[] parts = column.getValue().split("\\|");
            if (!old.containsKey(column.getKey()) && "true".equals(parts[1]) && "false".equals(parts[2])) {
                findings.add(new Finding(
                        "not-null-without-default",
                        Level.WARNING,
                        "adds column " + column.getKey() + " of " + name + " NOT NULL without a default: the running "
                                + "version's inserts fail (and the statement fails on a table with rows)",
                        "add it with a DEFAULT, or nullable, and SET NOT NULL in a later revision"));
            }
        }
        return findings;
    }

    /** Whether a column's type change only widens it: a larger varchar, varchar to text, a larger numeric. */
    static boolean widens(String from, String to) {
        if (to.equals("text") && from.matches("character varying(\\(\\d+\\))?|text")) {
            return true;
        }
        Matcher a = Pattern.compile("(character varying|numeric|character)\\((\\d+)(,(\\d+))?\\)")
                .matcher(from);
        Matcher b = Pattern.compile("(character varying|numeric)(\\((\\d+)(,(\\d+))?\\))?")
                .matcher(to);
        if (!a.matches() || !b.matches()) {
            return false;
        }
        if (b.group(2) == null) {
            return a.group(1).equals(b.group(1)); // unlimited
        }
        return a.group(1).equals(b.group(1))
                && Integer.parseInt(b.group(3)) >= Integer.parseInt(a.group(2))
                && Objects.equals(a.group(4), b.group(5));
    }

    /** What static linters would have flagged in the statement, for the report's cleared lines. */
    static List<String> staticFlags(String words) {
        List<String> flags = new ArrayList<>();
        STATIC.forEach((pattern, flag) -> {
            if (pattern.matcher(words).find()) {
                flags.add(flag);
            }
        });
        flags.sort(null);
        return flags;
    }

    /** The strongest mode of {@code held}, or {@code null}. */
    static String strongest(Set<String> held) {
        List<String> order = List.of(
                "AccessShareLock",
                "RowShareLock",
                "RowExclusiveLock",
                "ShareUpdateExclusiveLock",
                "ShareLock",
                "ShareRowExclusiveLock",
                "ExclusiveLock",
                ACCESS_EXCLUSIVE);
        String strongest = null;
        for (String mode : held) {
            if (strongest == null || order.indexOf(mode) > order.indexOf(strongest)) {
                strongest = mode;
            }
        }
        return strongest;
    }
}
