package org.bemserver.schema.connect;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * A PostgreSQL server address with its credentials, parsed from a SQLAlchemy or JDBC URI.
 *
 * <p>The password never leaves this object in text: {@link #toString()} and {@link #masked()}
 * print {@code ***} in its place, and {@link #jdbcUrl()} carries neither user nor password (they
 * travel in {@link #jdbcProperties()}).
 *
 * @param scheme the scheme as the user wrote it ({@code postgresql+psycopg}, {@code jdbc:postgresql})
 * @param host host name or address, never empty
 * @param port TCP port
 * @param database database name; empty means the server's default (the user's name)
 * @param user user name, or {@code null} for the driver's default
 * @param password password, or {@code null}
 * @param parameters connection parameters under pgjdbc's names, in the order given
 */
public record DatabaseUri(
        String scheme,
        String host,
        int port,
        String database,
        String user,
        String password,
        Map<String, String> parameters) {

    /** Parameters whose values are secrets and are masked like the password. */
    static final Set<String> SECRET_PARAMETERS = Set.of("password", "sslpassword");

    public static final int DEFAULT_PORT = 5432;

    public DatabaseUri {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Parses a URI; see {@link UriParser} for the accepted forms. */
    public static DatabaseUri parse(String text, String source) {
        return UriParser.parse(text, source);
    }

    /** The same server and database with other credentials (from settings.xml). */
    public DatabaseUri withCredentials(String newUser, String newPassword) {
        return new DatabaseUri(scheme, host, port, database, newUser, newPassword, parameters);
    }

    /** The same server with another database. */
    public DatabaseUri withDatabase(String newDatabase) {
        return new DatabaseUri(scheme, host, port, newDatabase, user, password, parameters);
    }

    /**
     * The same with every transaction read-only, enforced by the server
     * ({@code default_transaction_read_only}, added to the URI's {@code options}): a goal that
     * must only read cannot write by mistake.
     */
    public DatabaseUri withReadOnlyTransactions() {
        Map<String, String> readOnly = new LinkedHashMap<>(parameters);
        readOnly.merge("options", "-c default_transaction_read_only=on", (given, added) -> given + " " + added);
        return new DatabaseUri(scheme, host, port, database, user, password, readOnly);
    }

    /** The JDBC URL without credentials or parameters. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + hostForUrl() + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The properties given to the driver: parameters, then user and password. */
    public Properties jdbcProperties() {
        Properties properties = new Properties();
        parameters.forEach(properties::setProperty);
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return properties;
    }

    /** The URI as it may be printed: the password and secret parameters are replaced by {@code ***}. */
    public String masked() {
        StringBuilder text = new StringBuilder(scheme).append("://");
        if (user != null) {
            text.append(user);
            if (password != null) {
                text.append(":***");
            }
            text.append('@');
        }
        text.append(hostForUrl()).append(':').append(port).append('/').append(database);
        String separator = "?";
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String value = SECRET_PARAMETERS.contains(parameter.getKey().toLowerCase(Locale.ROOT))
                    ? "***"
                    : parameter.getValue();
            text.append(separator).append(parameter.getKey()).append('=').append(value);
            separator = "&";
        }
        return text.toString();
    }

    /** Whether the host is this machine (a loopback name or address); never resolves other names. */
    public boolean isLoopback() {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        if (!name.matches("[0-9.]+|[0-9a-f:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private String hostForUrl() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return masked();
    }
}
