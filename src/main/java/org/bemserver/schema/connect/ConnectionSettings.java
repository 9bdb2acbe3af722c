package org.bemserver.schema.connect;

import java.time.Duration;
import java.util.function.Function;
import org.bemserver.schema.ConfigurationException;

/**
 * Where a goal connects, resolved from the environment, settings.xml credentials and parameters.
 *
 * <p>Precedence (printed in README.md): the URI comes from the environment variable named by
 * {@code bemserver.uriEnv}; user and password from a settings.xml {@code <server>} (when
 * {@code bemserver.serverId} is given) replace those of the URI; the URI's
 * {@code connect_timeout} replaces {@code bemserver.connectTimeout}.
 *
 * @param variable name of the environment variable the URI came from
 * @param uri the server, or {@code null} for the embedded PostgreSQL
 * @param connectTimeout how long connecting may take before giving up
 */
public record ConnectionSettings(String variable, DatabaseUri uri, Duration connectTimeout) {

    /** The value of the variable that selects the project's persistent embedded PostgreSQL. */
    public static final String EMBEDDED = "embedded";

    public static ConnectionSettings resolve(
            String variable, Function<String, String> environment, Credentials server, Duration connectTimeout) {
        if (variable == null || !variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigurationException(
                    "bemserver.uriEnv must name an environment variable (letters, digits, _), not "
                            + (variable != null && (variable.contains(":") || variable.contains("@"))
                                    ? "a URI: give the name of the variable that holds it"
                                    : "'" + variable + "'"));
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new ConfigurationException("bemserver.connectTimeout must be a positive number of seconds");
        }
        String value = environment.apply(variable);
        if (value != null && value.strip().equals(EMBEDDED)) {
            if (server != null) {
                throw new ConfigurationException(variable + "=embedded uses the embedded PostgreSQL, which needs no "
                        + "credentials: remove bemserver.serverId");
            }
            return new ConnectionSettings(variable, null, connectTimeout);
        }
        DatabaseUri uri = DatabaseUri.parse(value, variable);
        if (server != null) {
            uri = uri.withCredentials(
                    server.user() != null ? server.user() : uri.user(),
                    server.password() != null ? server.password() : uri.password());
        }
        return new ConnectionSettings(variable, uri, connectTimeout);
    }

    /**
     * The server of throwaway databases.
     *
     * @param uri its URI, or {@code null} for the embedded PostgreSQL
     * @param source where the URI came from, for messages: {@code bemserver.devUri}, or the
     *     variable {@code bemserver.devUriEnv} names
     */
    public record DevServer(DatabaseUri uri, String source) {

        public boolean isEmbedded() {
            return uri == null;
        }
    }

    /**
     * The server of throwaway databases: {@code devUri} ({@code embedded} or a URI), or the URI in
     * the environment variable {@code devUriEnv} names, which keeps its password out of the
     * parameters Maven prints with {@code -X}.
     */
    public static DevServer devServer(String devUri, String devUriEnv, Function<String, String> environment) {
        String given = devUri == null ? "" : devUri.strip();
        if (devUriEnv == null || devUriEnv.isBlank()) {
            return given.isEmpty() || given.equals(EMBEDDED)
                    ? new DevServer(null, "bemserver.devUri")
                    : new DevServer(DatabaseUri.parse(given, "bemserver.devUri"), "bemserver.devUri");
        }
        String variable = devUriEnv.strip();
        if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigurationException("bemserver.devUriEnv must name an environment variable (letters, digits, "
                    + "_), not "
                    + (variable.contains(":")
                            ? "a URI: give the name of the variable that holds it"
                            : "'" + variable + "'"));
        }
        if (!given.isEmpty() && !given.equals(EMBEDDED)) {
            throw new ConfigurationException("bemserver.devUri and bemserver.devUriEnv are both given: keep one "
                    + "(bemserver.devUriEnv keeps the password out of what Maven prints)");
        }
        String value = environment.apply(variable);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("bemserver.devUriEnv names " + variable + ", which is not set: export it "
                    + "with the URI of the server of throwaway databases (or embedded), or remove bemserver.devUriEnv");
        }
        String source = variable + " (bemserver.devUriEnv)";
        return value.strip().equals(EMBEDDED)
                ? new DevServer(null, source)
                : new DevServer(DatabaseUri.parse(value.strip(), source), source);
    }

    /** The same with read-only transactions ({@link DatabaseUri#withReadOnlyTransactions}); the embedded database as is. */
    public ConnectionSettings withReadOnlyTransactions() {
        return isEmbedded() ? this : new ConnectionSettings(variable, uri.withReadOnlyTransactions(), connectTimeout);
    }

    public boolean isEmbedded() {
        return uri == null;
    }
}
