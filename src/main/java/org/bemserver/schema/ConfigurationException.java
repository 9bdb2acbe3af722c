package org.bemserver.schema;

/** The plugin's configuration or the environment variable it reads is wrong: a bad URI, an unknown revision, a missing location. */
public final class ConfigurationException extends SchemaException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message, null);
    }

    public ConfigurationException(String message, Throwable detail) {
        super(message, detail);
    }

    @Override
    public boolean isProjectProblem() {
        return true;
    }
}
