package org.bemserver.schema;

/** The machine could not do its part: an I/O error, an embedded server that did not start, a database error outside any script. */
public final class EnvironmentException extends SchemaException {

    private static final long serialVersionUID = 1L;

    public EnvironmentException(String message) {
        super(message, null);
    }

    public EnvironmentException(String message, Throwable detail) {
        super(message, detail);
    }

    @Override
    public boolean isProjectProblem() {
        return false;
    }
}
