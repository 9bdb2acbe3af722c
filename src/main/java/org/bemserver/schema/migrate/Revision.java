package org.bemserver.schema.migrate;

/**
 * One migration of the project.
 *
 * @param id the revision ({@code 5}, {@code 0.3.1}, {@code 2026.11.25.1}); {@code null} for a repeatable script
 * @param description the description Flyway derives from the slug ({@code add site timezone})
 * @param script the script's file name
 */
public record Revision(String id, String description, String script) {

    /** How output names the state before the first revision. */
    public static final String BASE = "<base>";

    /** A revision id for output: {@link #BASE} for {@code null}. */
    public static String display(String id) {
        return id == null ? BASE : id;
    }

    /** {@code 4 - add site timezone}, or {@code repeatable - refresh views}. */
    public String label() {
        return (id == null ? "repeatable" : id) + " - " + description;
    }
}
