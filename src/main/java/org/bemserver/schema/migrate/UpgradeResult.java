package org.bemserver.schema.migrate;

import java.util.List;

/**
 * What an upgrade did, or would do.
 *
 * @param from the revision before, or {@code null} at base
 * @param to the revision after, or {@code null} at base
 * @param applied the migrations applied, in order; empty when there was nothing to do
 * @param dryRunSql for a dry run, the SQL of the scripts that would run (placeholders
 *     replaced); {@code null} otherwise
 */
public record UpgradeResult(String from, String to, List<Revision> applied, String dryRunSql) {

    public UpgradeResult {
        applied = List.copyOf(applied);
    }
}
