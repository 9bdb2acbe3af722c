package org.bemserver.bench;

/**
 * What one revision of a generated history does. Each revision's slug starts with its kind's
 * {@link #slug()} ({@code V12__create_table_meter_readings.sql}), so a reader of the files alone
 * can tell the kinds apart too ({@link #ofSlug}).
 */
public enum ChangeKind {
    CREATE_REFERENCE_TABLE("create_reference_table"),
    CREATE_TABLE("create_table"),
    ADD_COLUMN("add_column"),
    ADD_INDEX("add_index"),
    CREATE_VIEW("create_view"),
    CREATE_ENUM("create_enum"),
    INSERT_REFERENCE_ROWS("insert_rows"),
    RENAME_COLUMN("rename_column"),
    RENAME_TABLE("rename_table"),
    DROP_INDEX("drop_index"),
    DROP_VIEW("drop_view"),
    DROP_COLUMN("drop_column"),
    DROP_TABLE("drop_table"),
    /** The single revision of a wide corpus: every table at once. */
    CREATE_SCHEMA("create_schema");

    private final String slug;

    ChangeKind(String slug) {
        this.slug = slug;
    }

    /** The first words of the slug of a revision of this kind. */
    public String slug() {
        return slug;
    }

    /** The kind of a revision from its slug; the longest matching prefix wins. */
    public static ChangeKind ofSlug(String slug) {
        ChangeKind found = null;
        for (ChangeKind kind : values()) {
            if ((slug.equals(kind.slug) || slug.startsWith(kind.slug + "_"))
                    && (found == null || kind.slug.length() > found.slug.length())) {
                found = kind;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("No change kind starts " + slug);
        }
        return found;
    }
}
