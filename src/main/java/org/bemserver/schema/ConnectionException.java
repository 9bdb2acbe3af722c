package org.bemserver.schema;

/** The database could not be reached or refused the login. */
public final class ConnectionException extends SchemaException {

    private static final long serialVersionUID = 1L;

    public ConnectionException(String message) {
        super(message, null);
    }

    public ConnectionException(String message, Throwable detail) {
        super(message, detail);
    }

    @Override
    public boolean isProjectProblem() {
        return false;
    }
}
