package org.bemserver.schema;

/**
 * Base of every failure the engine reports. Messages are one line, say what was wrong and what to
 * do, and never contain a password.
 *
 * <p>The failure underneath (Flyway's, the driver's) is attached as a suppressed exception, not as
 * the cause: Maven appends the message of every cause to the error line, which would turn our one
 * line into Flyway's multi-line report. The detail still prints with the stack trace ({@code mvn -e}).
 */
public abstract sealed class SchemaException extends RuntimeException
        permits ConfigurationException, ConnectionException, MigrationException, EnvironmentException {

    private static final long serialVersionUID = 1L;

    protected SchemaException(String message, Throwable detail) {
        super(message);
        if (detail != null) {
            addSuppressed(detail);
        }
    }

    /** The failure underneath, or {@code null}. */
    public Throwable detail() {
        Throwable[] suppressed = getSuppressed();
        return suppressed.length == 0 ? null : suppressed[0];
    }

    /**
     * Whether the user must change the project (scripts, configuration) rather than the
     * environment (server, network, disk) to get past this failure.
     */
    public abstract boolean isProjectProblem();
}
