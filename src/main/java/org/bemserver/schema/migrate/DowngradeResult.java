package org.bemserver.schema.migrate;

import java.util.List;

/**
 * What a downgrade did, or would do.
 *
 * @param from the revision before, or {@code null} at base
 * @param to the revision after, or {@code null} at base
 * @param reverted the revisions undone, newest first; empty when there was nothing to do
 * @param dryRunSql for a dry run, the SQL that would run (placeholders replaced, runnable with
 *     psql); {@code null} otherwise
 */
public record DowngradeResult(String from, String to, List<Revision> reverted, String dryRunSql) {

    public DowngradeResult {
        reverted = List.copyOf(reverted);
    }
}
