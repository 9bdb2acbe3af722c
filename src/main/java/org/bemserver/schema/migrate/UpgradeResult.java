package org.bemserver.schema.migrate;

import java.util.List;

/**
 * What an upgrade did.
 *
 * @param from the revision before, or {@code null} at base
 * @param to the revision after, or {@code null} at base
 * @param applied the migrations applied, in order; empty when there was nothing to do
 */
public record UpgradeResult(String from, String to, List<Revision> applied) {

    public UpgradeResult {
        applied = List.copyOf(applied);
    }
}
