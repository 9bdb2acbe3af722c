package org.bemserver.schema.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.api.MigrationState;

/**
 * What Flyway's states of the migrations mean to the user: where the database stands
 * ({@link RevisionStatus}), the problems that stop an upgrade, the state names of the history.
 * Pure functions of {@link Migration} lines.
 */
final class MigrationStates {

    private MigrationStates() {}

    /** Where the database stands, from Flyway's info in Flyway's order. */
    static RevisionStatus status(List<Migration> all) {
        List<String> known = new ArrayList<>();
        List<Revision> pending = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Version current = null;
        Version head = null;
        for (Migration migration : all) {
            if (migration.kind() == Migration.Kind.SCHEMA) {
                continue;
            }
            MigrationState state = migration.state();
            Version version = migration.version();
            if (version != null && state.isResolved() && migration.kind() != Migration.Kind.BASELINE) {
                known.add(version.id());
                head = version;
            }
            if (version != null
                    && state.isApplied()
                    && !state.isFailed()
                    && (current == null || version.compareTo(current) > 0)) {
                current = version;
            }
            if (isPending(state)) {
                pending.add(migration.revision());
            }
            String problem = problemOf(migration);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return new RevisionStatus(
                current == null ? null : current.id(), head == null ? null : head.id(), known, pending, problems);
    }

    /** The status, with the problems of the script files themselves first. */
    static RevisionStatus withProblems(List<String> fileProblems, RevisionStatus status) {
        if (fileProblems.isEmpty()) {
            return status;
        }
        List<String> problems = new ArrayList<>(fileProblems);
        problems.addAll(status.problems());
        return new RevisionStatus(status.current(), status.head(), status.known(), status.pending(), problems);
    }

    static boolean isPending(MigrationState state) {
        // A changed repeatable script shows twice: its old row OUTDATED, its new content PENDING.
        return state == MigrationState.PENDING || state == MigrationState.ABOVE_TARGET;
    }

    /** What stops an upgrade at this line, one sentence, or {@code null}. */
    static String problemOf(Migration migration) {
        String script = migration.script();
        String revision =
                migration.version() == null ? "repeatable " + migration.description() : "revision " + migration.id();
        return switch (migration.state()) {
            case FAILED, MISSING_FAILED, FUTURE_FAILED ->
                revision + " (" + script + ") is recorded as failed: it ran "
                        + "outside a transaction and stopped half-way; repair the schema by hand, then delete its row from "
                        + "the history table";
            case MISSING_SUCCESS ->
                revision + " is recorded as applied but " + script + " is not in bemserver.locations: "
                        + "restore the script";
            case IGNORED ->
                script + " (" + revision + ") is older than the database's revision and was never applied: "
                        + "give it a revision above the current one";
            case SUCCESS, OUT_OF_ORDER -> {
                if (migration.resolvedChecksum() != null && !migration.checksumMatching()) {
                    yield editedScript(script, migration.appliedChecksum(), migration.resolvedChecksum());
                }
                if (migration.resolvedDescription() != null && !migration.descriptionMatching()) {
                    yield script + " was renamed after it was applied (recorded as '" + migration.appliedDescription()
                            + "'): restore its name";
                }
                yield null;
            }
            default -> null;
        };
    }

    /** The problem of an applied script that was edited afterwards. */
    static String editedScript(String script, Integer recorded, Integer onDisk) {
        return script + " was changed after it was applied (checksum " + recorded + " recorded, " + onDisk
                + " on disk): restore it as it was applied and put the change in a new revision";
    }

    /** The problems as the message that refuses a run. */
    static String problemsMessage(List<String> problems) {
        if (problems.size() == 1) {
            return "The migrations do not match the database: " + problems.get(0);
        }
        return problems.size() + " problems between the migrations and the database: " + String.join("; ", problems);
    }

    /** The state of a line of the history, in the user's words ({@code applied}, {@code pending}...). */
    static String stateName(MigrationState state) {
        return switch (state) {
            case SUCCESS, OUT_OF_ORDER -> "applied";
            case PENDING, ABOVE_TARGET -> "pending";
            case FAILED, MISSING_FAILED, FUTURE_FAILED -> "failed";
            case MISSING_SUCCESS -> "missing";
            case FUTURE_SUCCESS -> "future";
            default -> state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    /** The history's entries: every line but the schema-creation row. */
    static List<HistoryEntry> history(List<Migration> all) {
        List<HistoryEntry> entries = new ArrayList<>();
        for (Migration migration : all) {
            if (migration.kind() == Migration.Kind.SCHEMA) {
                continue;
            }
            entries.add(new HistoryEntry(
                    migration.id(),
                    migration.description(),
                    migration.script(),
                    stateName(migration.state()),
                    migration.installedOn(),
                    migration.installedBy(),
                    migration.executionTime()));
        }
        return entries;
    }

    /** The migrations an upgrade to {@code target} runs, in Flyway's order (repeatables only up to head). */
    static List<Migration> plan(List<Migration> all, Version target) {
        List<Migration> plan = new ArrayList<>();
        for (Migration migration : all) {
            if (!isPending(migration.state())) {
                continue;
            }
            if (migration.version() == null
                    ? target == null
                    : target == null || migration.version().compareTo(target) <= 0) {
                plan.add(migration);
            }
        }
        return plan;
    }

    /**
     * The history rows of a database that holds every script of the project (see {@link Stamp}):
     * one entry per script, as an applied repeatable script can show in several lines (outdated,
     * superseded).
     */
    static Stamp stampAtHead(List<Migration> all, HistoryTable table) {
        return stampUpTo(all, table, null, false);
    }

    /**
     * The same for a database at {@code revision} ({@code null}: head): the versioned scripts up to
     * it and the repeatable ones, as an upgrade to it records them; with {@code pendingOnly}, those
     * its history does not record yet.
     */
    static Stamp stampUpTo(List<Migration> all, HistoryTable table, Version revision, boolean pendingOnly) {
        Map<String, Stamp.Entry> entries = new LinkedHashMap<>();
        Version head = null;
        for (Migration migration : all) {
            if (migration.state().isResolved()
                    && !(pendingOnly && migration.state().isApplied())
                    && migration.kind() != Migration.Kind.BASELINE
                    && migration.kind() != Migration.Kind.SCHEMA
                    && migration.resolvedChecksum() != null
                    && (revision == null
                            || migration.version() == null
                            || migration.version().compareTo(revision) <= 0)) {
                Version version = migration.version();
                entries.putIfAbsent(
                        migration.script(),
                        new Stamp.Entry(
                                migration.id(),
                                migration.resolvedDescription() != null
                                        ? migration.resolvedDescription()
                                        : migration.description(),
                                migration.script(),
                                migration.resolvedChecksum()));
                if (version != null && (head == null || version.compareTo(head) > 0)) {
                    head = version;
                }
            }
        }
        return new Stamp(table, new ArrayList<>(entries.values()), head == null ? null : head.id());
    }
}
