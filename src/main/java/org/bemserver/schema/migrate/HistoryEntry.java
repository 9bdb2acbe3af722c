package org.bemserver.schema.migrate;

import java.time.Instant;

/**
 * One line of a database's migration history, applied or not.
 *
 * @param revision the revision, or {@code null} for a repeatable script
 * @param description the description
 * @param script the script's file name (or Flyway's marker for baseline rows)
 * @param state {@code applied}, {@code pending}, {@code failed}, {@code missing} (applied, script gone),
 *     {@code future} (applied, newer than the project), {@code ignored} (older than the current revision,
 *     never applied), {@code outdated} (repeatable changed since applied), {@code baseline}
 * @param appliedAt when it was applied, or {@code null}
 * @param appliedBy the database user that applied it, or {@code null}
 * @param executionMillis how long it took, or {@code null}
 */
public record HistoryEntry(
        String revision,
        String description,
        String script,
        String state,
        Instant appliedAt,
        String appliedBy,
        Integer executionMillis) {}
