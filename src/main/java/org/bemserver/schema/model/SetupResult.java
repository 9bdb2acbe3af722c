package org.bemserver.schema.model;

import java.util.List;

/**
 * What {@code db-setup} did.
 *
 * @param revision the revision the database is recorded at (the project's head), or {@code null}
 *     when the project has no revision
 * @param modelFiles the model files applied, in order
 * @param dropped what a reset dropped first, e.g. {@code 12 tables, 1 view in schema public}, or
 *     {@code null} when nothing was dropped
 */
public record SetupResult(String revision, List<String> modelFiles, String dropped) {

    public SetupResult {
        modelFiles = List.copyOf(modelFiles);
    }
}
