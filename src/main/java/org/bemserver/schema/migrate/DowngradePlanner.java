package org.bemserver.schema.migrate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.bemserver.schema.ConfigurationException;

/**
 * Works out what a downgrade will do before any SQL runs, from the history rows (read under the
 * lock) and the project's scripts: the revisions to undo down to the target, each with its undo
 * script read, and every problem that stops the run (a failed or edited revision, a revision
 * never applied, an undo script missing, doubled, or holding a statement it cannot run).
 */
final class DowngradePlanner {

    /** One revision to undo. */
    record Step(HistoryTable.Row row, ProjectScript script, Path undoFile, SqlScript undo) {

        Revision revision() {
            return new Revision(row.version(), row.description(), row.script());
        }
    }

    /** What a run will do; {@code problems} stop it before anything runs. */
    record Plan(String from, String to, List<Step> steps, List<String> problems) {

        /** The revisions undone, in the order they are. */
        List<Revision> revisions() {
            return steps.stream().map(Step::revision).toList();
        }
    }

    private final MigrationSettings settings;
    private final HistoryTable history;
    private final Map<Version, ProjectScript> scripts;
    private final Map<Version, List<MigrationFiles.UndoScript>> undoScripts;
    private final Placeholders placeholders;

    DowngradePlanner(
            HistoryTable history, MigrationFiles.Scan scan, Placeholders placeholders, MigrationSettings settings) {
        this.history = history;
        this.settings = settings;
        this.scripts = scan.versioned().stream()
                .collect(Collectors.toMap(ProjectScript::version, Function.identity(), (a, b) -> a, TreeMap::new));
        this.undoScripts = scan.undo();
        this.placeholders = placeholders;
    }

    /** The plan for the history {@code rows} and the {@code target}; {@code mixed} allows non-transactional undo scripts. */
    Plan plan(List<HistoryTable.Row> rows, DowngradeTarget target, boolean mixed) {
        List<String> problems = new ArrayList<>();
        List<HistoryTable.Row> applied = new ArrayList<>();
        for (HistoryTable.Row row : effective(rows)) {
            if (!row.success()) {
                problems.add(
                        (row.version() == null ? row.script() : "revision " + row.version() + " (" + row.script() + ")")
                                + " is recorded as failed: repair the schema by hand, then delete its row from "
                                + history.displayName());
            } else if (row.version() != null && !"SCHEMA".equals(row.type())) {
                applied.add(row);
            }
        }
        // versions parsed once: a plan over 1000 revisions compares them a million times otherwise;
        // by identity, as each row is its own: hashing the records would hash all their fields
        Map<HistoryTable.Row, Version> versions = new IdentityHashMap<>();
        applied.forEach(row -> versions.put(row, version(row)));
        Set<Version> appliedVersions = new HashSet<>(versions.values());
        applied.sort(Comparator.comparing((HistoryTable.Row row) -> versions.get(row))
                .reversed());
        String from = applied.isEmpty() ? null : applied.get(0).version();
        Version stop = stopAt(target, applied);
        List<HistoryTable.Row> undone = applied.stream()
                .filter(row -> stop == null || versions.get(row).compareTo(stop) > 0)
                .toList();
        if (undone.isEmpty()) {
            return new Plan(from, from, List.of(), problems);
        }
        for (HistoryTable.Row row : applied) {
            ProjectScript script = scripts.get(versions.get(row));
            if (script == null) {
                problems.add("revision " + row.version() + " is recorded as applied but " + row.script()
                        + " is not in bemserver.locations: restore the script");
            } else if ("SQL".equals(row.type())
                    && row.checksum() != null
                    && !row.checksum().equals(script.checksum())) {
                problems.add(MigrationStates.editedScript(script.script(), row.checksum(), script.checksum()));
            }
        }
        Version current = versions.get(applied.get(0));
        if (stop != null && !appliedVersions.contains(stop)) {
            problems.add("the target revision " + stop.id() + " was never applied to this database: choose an "
                    + "applied revision (db-history lists them)");
        }
        for (ProjectScript script : scripts.values()) {
            boolean between = (stop == null || script.version().compareTo(stop) > 0)
                    && script.version().compareTo(current) < 0;
            if (between && !appliedVersions.contains(script.version())) {
                problems.add("revision " + script.id() + " (" + script.script() + ") lies between the target and the "
                        + "current revision " + current.id()
                        + " but was never applied: apply it (db-upgrade) or "
                        + "remove the script");
            }
        }
        List<Step> steps = new ArrayList<>();
        for (HistoryTable.Row row : undone) {
            if ("BASELINE".equals(row.type())) {
                problems.add("revision " + row.version() + " is a baseline, not a migration: there is nothing to undo "
                        + "below it; choose a target at or above " + row.version());
                continue;
            }
            List<MigrationFiles.UndoScript> files = undoScripts.getOrDefault(versions.get(row), List.of());
            if (files.isEmpty()) {
                problems.add("revision " + row.version() + " has no undo script: write U" + row.version() + "__"
                        + slug(row) + ".sql beside " + row.script());
                continue;
            }
            if (files.size() > 1) {
                problems.add(MigrationFiles.UndoScript.several(row.version(), files));
                continue;
            }
            SqlScript undo;
            try {
                undo = files.get(0).parse(placeholders);
            } catch (ConfigurationException e) {
                problems.add(e.getMessage());
                continue;
            }
            for (SqlScript.Statement statement : undo.statements()) {
                String refusal = statement.refusal();
                if (refusal != null) {
                    problems.add(undo.at(statement) + ": " + refusal);
                } else if (!mixed && !statement.canRunInTransaction()) {
                    problems.add(undo.at(statement) + " cannot run "
                            + "in a transaction: rewrite it, or give each undo script its own transaction with "
                            + "-Dbemserver.mixed=true");
                }
            }
            steps.add(new Step(row, scripts.get(version(row)), files.get(0).file(), undo));
        }
        String to = stop == null
                ? null
                : applied.stream()
                        .filter(row -> version(row).compareTo(stop) <= 0)
                        .map(HistoryTable.Row::version)
                        .findFirst()
                        .orElse(null);
        return new Plan(from, to, steps, problems);
    }

    /**
     * The rows that still stand: a {@code DELETE} row (written by Flyway's repair for a script that
     * was removed) or an {@code UNDO_SQL} row (Flyway Teams' undo) cancels the earlier rows of its
     * version, and is no migration itself.
     */
    private static List<HistoryTable.Row> effective(List<HistoryTable.Row> rows) {
        List<HistoryTable.Row> standing = new ArrayList<>();
        for (HistoryTable.Row row : rows) {
            if ("DELETE".equals(row.type()) || String.valueOf(row.type()).startsWith("UNDO")) {
                standing.removeIf(
                        earlier -> row.version() != null && row.version().equals(earlier.version()));
            } else {
                standing.add(row);
            }
        }
        return standing;
    }

    /** The highest version that stays, or {@code null} for base. */
    private Version stopAt(DowngradeTarget target, List<HistoryTable.Row> applied) {
        if (target.steps() > 0) {
            if (target.steps() > applied.size()) {
                throw new ConfigurationException("Cannot undo " + target.steps() + " revision"
                        + (target.steps() > 1 ? "s" : "") + ": only " + applied.size() + " "
                        + (applied.size() == 1 ? "is" : "are")
                        + " applied (bemserver.revision=base undoes them all)");
            }
            return target.steps() == applied.size() ? null : version(applied.get(target.steps()));
        }
        if (target.revision() == null) {
            return null;
        }
        boolean known = scripts.containsKey(target.revision())
                || applied.stream().anyMatch(row -> version(row).equals(target.revision()));
        if (!known) {
            List<String> revisions = scripts.keySet().stream().map(Version::id).toList();
            throw new ConfigurationException("Unknown revision "
                    + target.revision().id()
                    + " (bemserver.revision): this project's revisions are "
                    + (revisions.isEmpty() ? "none" : RevisionStatus.shorten(revisions)) + ", or base, or -1, -2, ...");
        }
        return target.revision();
    }

    private static Version version(HistoryTable.Row row) {
        return Version.of(row.version());
    }

    private static String slug(HistoryTable.Row row) {
        return row.script().contains("__")
                ? row.script().substring(row.script().indexOf("__") + 2).replaceFirst("(?i)\\.sql$", "")
                : row.description().replace(' ', '_');
    }
}
