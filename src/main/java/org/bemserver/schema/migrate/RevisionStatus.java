package org.bemserver.schema.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bemserver.schema.Json;

/**
 * Where a database stands against the project's migrations.
 *
 * @param current the newest applied revision, or {@code null} at base
 * @param head the newest revision of the project, or {@code null} when it has none
 * @param known every revision of the project, oldest first
 * @param pending the revisions not applied yet, oldest first (repeatable scripts last, with a {@code null} id)
 * @param problems what stops an upgrade (edited or missing scripts, failed rows), one sentence each
 */
public record RevisionStatus(
        String current, String head, List<String> known, List<Revision> pending, List<String> problems) {

    /** Revision lists longer than this are shortened in text output (JSON lists them all). */
    private static final int LIST_LIMIT = 12;

    public RevisionStatus {
        known = List.copyOf(known);
        pending = List.copyOf(pending);
        problems = List.copyOf(problems);
    }

    public enum State {
        /** Nothing to apply. */
        HEAD,
        /** Revisions to apply. */
        BEHIND,
        /** The database holds a revision this project does not have. */
        AHEAD
    }

    public State state() {
        if (isAhead()) {
            return State.AHEAD;
        }
        return pending.isEmpty() ? State.HEAD : State.BEHIND;
    }

    /** Whether the database's revision is unknown to this project (newer, or from another branch). */
    public boolean isAhead() {
        return current != null && !known.contains(current);
    }

    public List<String> pendingRevisions() {
        return pending.stream().filter(r -> r.id() != null).map(Revision::id).toList();
    }

    /** The line users and scripts read (README.md, Output), e.g. {@code Current revision: 3 (2 pending: 4, 5)}. */
    public String toText() {
        String revision = Revision.display(current);
        String detail;
        if (isAhead()) {
            detail = head == null
                    ? "not in this project: the project has no revisions"
                    : "not in this project: database is ahead of head " + head;
        } else if (pending.isEmpty()) {
            detail = head == null ? "no revisions in this project" : "head";
        } else {
            List<String> names = new ArrayList<>();
            for (Revision step : pending) {
                names.add(step.id() == null ? "repeatable " + step.description() : step.id());
            }
            detail = pending.size() + " pending: " + shorten(names);
        }
        return "Current revision: " + revision + " (" + detail + ")";
    }

    /** One JSON object, e.g. {@code {"current":"3","head":"5","pending":["4","5"],"state":"behind"}}. */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("current", current);
        json.put("head", head);
        json.put("pending", pendingRevisions());
        json.put("state", state().name().toLowerCase(Locale.ROOT));
        List<String> repeatables = pending.stream()
                .filter(r -> r.id() == null)
                .map(Revision::description)
                .toList();
        if (!repeatables.isEmpty()) {
            json.put("repeatablePending", repeatables);
        }
        if (!problems.isEmpty()) {
            json.put("problems", problems);
        }
        return Json.write(json);
    }

    /** The one-line failure that lists {@link #problems}, as db-upgrade stops with it. */
    public String problemsMessage() {
        return MigrationStates.problemsMessage(problems);
    }

    /** {@code 1, 2, 3} or, past the limit, {@code 1, 2, ..., 999, 1000}. */
    public static String shorten(List<String> names) {
        if (names.size() <= LIST_LIMIT) {
            return String.join(", ", names);
        }
        List<String> shown = new ArrayList<>(names.subList(0, LIST_LIMIT - 2));
        shown.add("...");
        shown.add(names.get(names.size() - 1));
        return String.join(", ", shown);
    }
}
