package org.bemserver.schema;

/**
 * Base of every failure the engine reports. Messages are one line, say what was wrong and what to
 * do, and never contain a password.
 */
public abstract sealed class SchemaException extends RuntimeException
        permits ConfigurationException, ConnectionException, MigrationException, EnvironmentException {

    private static final long serialVersionUID = 1L;

    protected SchemaException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the user must change the project (scripts, configuration) rather than the
     * environment (server, network, disk) to get past this failure.
     */
    public abstract boolean isProjectProblem();
}
