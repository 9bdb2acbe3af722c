package org.bemserver.schema;

/** A migration script failed, or the scripts no longer match what the database recorded. */
public final class MigrationException extends SchemaException {

    private static final long serialVersionUID = 1L;

    public MigrationException(String message) {
        super(message, null);
    }

    public MigrationException(String message, Throwable detail) {
        super(message, detail);
    }

    @Override
    public boolean isProjectProblem() {
        return true;
    }
}
