package org.bemserver.schema.connect;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bemserver.schema.ConfigurationException;

/**
 * Turns the text of a database URI into a {@link DatabaseUri}.
 *
 * <p>SQLAlchemy forms ({@code postgresql+psycopg://}, {@code +psycopg2}, {@code +asyncpg}, any
 * other driver suffix, {@code postgresql://}, {@code postgres://}) are read with the same grammar
 * SQLAlchemy's {@code make_url} uses, so a URI that works for bemserver-core works here: the
 * password may hold {@code / : ? #} unencoded, but {@code @} must be written {@code %40}. libpq
 * query parameters are translated to pgjdbc's names. {@code jdbc:postgresql:} URLs are read by
 * pgjdbc itself.
 *
 * <p>Error messages never repeat the text: a malformed URI may hold a password anywhere.
 */
final class UriParser {

    /** SQLAlchemy's URL grammar (sqlalchemy/engine/url.py, {@code _parse_url}). */
    private static final Pattern SQLALCHEMY_URL = Pattern.compile("(?<name>[\\w+]+)://"
            + "(?:(?<username>[^:/]*)(?::(?<password>[^@]*))?@)?"
            + "(?:(?:\\[(?<ipv6host>[^/?]+)]|(?<ipv4host>[^/:?]+))?(?::(?<port>[^/?]*))?)?"
            + "(?:/(?<database>[^?]*))?"
            + "(?:\\?(?<query>.*))?");

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]{0,39}");

    private static final Set<String> POSTGRES_DIALECTS = Set.of("postgresql", "postgres");

    /** libpq keyword -> pgjdbc property; keywords not listed are passed to pgjdbc unchanged. */
    private static final Map<String, String> LIBPQ_TO_PGJDBC = Map.of(
            "application_name", "ApplicationName",
            "connect_timeout", "connectTimeout",
            "target_session_attrs", "targetServerType",
            "gssencmode", "gssEncMode",
            "channel_binding", "channelBinding",
            "keepalives", "tcpKeepAlive");

    private static final Map<String, String> TARGET_SESSION_ATTRS = Map.of(
            "any", "any",
            "read-write", "primary",
            "primary", "primary",
            "read-only", "secondary",
            "standby", "secondary",
            "prefer-standby", "preferSecondary");

    /**
     * pgjdbc's timeouts (seconds) and the value each takes. pgjdbc ignores a {@code loginTimeout}
     * it cannot read, and would then wait for an unanswering server for ever.
     */
    private static final Map<String, Pattern> TIMEOUTS = Map.of(
            "connectTimeout", Pattern.compile("[0-9]{1,9}"),
            "socketTimeout", Pattern.compile("[0-9]{1,9}"),
            "cancelSignalTimeout", Pattern.compile("[0-9]{1,9}"),
            "loginTimeout", Pattern.compile("[0-9]{1,9}(\\.[0-9]*)?|\\.[0-9]{1,9}"));

    private UriParser() {}

    static DatabaseUri parse(String raw, String source) {
        if (raw == null) {
            throw new ConfigurationException(source + " is not set: " + example(source));
        }
        String text = raw.strip();
        if (text.isEmpty()) {
            throw new ConfigurationException(source + " is empty: " + example(source));
        }
        if (text.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return parseJdbc(text, source);
        }
        int separator = text.indexOf("://");
        if (separator < 0) {
            throw malformed(source, "it has no '://' after the scheme");
        }
        String scheme = text.substring(0, separator);
        if (!SCHEME.matcher(scheme).matches()) {
            throw malformed(source, "its scheme is not a name like postgresql+psycopg");
        }
        String dialect = scheme.split("\\+", 2)[0].toLowerCase(Locale.ROOT);
        if (!POSTGRES_DIALECTS.contains(dialect)) {
            throw unsupported(dialect, source);
        }
        Matcher url = SQLALCHEMY_URL.matcher(text);
        if (!url.matches()) {
            throw malformed(source, "it does not read as scheme://user:password@host:port/database");
        }
        String host = url.group("ipv6host") != null ? url.group("ipv6host") : url.group("ipv4host");
        if (host != null && host.contains("@")) {
            throw malformed(source, "the host part holds '@': write '@' in the password as %40");
        }
        if (contains(url.group("port"), '@') || contains(url.group("database"), '@')) {
            throw malformed(source, "the database part holds '@': write '@' in the password as %40");
        }
        Map<String, String> query = parseQuery(url.group("query"), source);
        String user = decode(url.group("username"), source, "user name");
        String password = decode(url.group("password"), source, "password");
        String database = decode(url.group("database"), source, "database name");
        String portText = url.group("port");

        // libpq lets host, port, dbname, user and password also come as query parameters.
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            String key = parameter.getKey();
            String value = parameter.getValue();
            switch (key) {
                case "host" -> host = value;
                case "port" -> portText = value;
                case "dbname" -> database = value;
                case "user" -> user = value;
                case "password" -> password = value;
                case "target_session_attrs" -> {
                    String mapped = TARGET_SESSION_ATTRS.get(value);
                    if (mapped == null) {
                        throw malformed(
                                source,
                                "target_session_attrs must be one of "
                                        + String.join(
                                                ", ",
                                                TARGET_SESSION_ATTRS.keySet().stream()
                                                        .sorted()
                                                        .toList()));
                    }
                    parameters.put("targetServerType", mapped);
                }
                case "keepalives" -> parameters.put("tcpKeepAlive", String.valueOf(!value.equals("0")));
                default -> parameters.put(LIBPQ_TO_PGJDBC.getOrDefault(key, key), value);
            }
        }
        if (host != null && host.startsWith("/")) {
            throw malformed(
                    source,
                    "its host is a Unix socket directory; this plugin connects over TCP: "
                            + "give a host name such as localhost");
        }
        if (host == null || host.isEmpty()) {
            host = "localhost";
        }
        checkTimeouts(parameters, source);
        return new DatabaseUri(
                scheme,
                host,
                port(portText, source),
                database == null ? "" : database,
                user == null || user.isEmpty() ? null : user,
                password,
                parameters);
    }

    private static DatabaseUri parseJdbc(String text, String source) {
        if (!text.regionMatches(true, 0, "jdbc:postgresql:", 0, 16)) {
            String rest = text.substring(5);
            int colon = rest.indexOf(':');
            String dialect = colon > 0 ? rest.substring(0, colon) : rest;
            if (!SCHEME.matcher(dialect).matches()) {
                throw malformed(source, "its JDBC subprotocol is not a name like postgresql");
            }
            throw unsupported(dialect.toLowerCase(Locale.ROOT), source);
        }
        String rest = text.substring("jdbc:postgresql:".length());
        int query = rest.indexOf('?');
        String beforeQuery = query < 0 ? rest : rest.substring(0, query);
        if (beforeQuery.contains("@")) {
            throw malformed(
                    source,
                    "a JDBC URL takes its user and password as parameters (?user=...&password=...), "
                            + "not before the host");
        }
        if (beforeQuery.startsWith("//") && beforeQuery.indexOf('/', 2) < 0) {
            throw malformed(
                    source,
                    "a JDBC URL needs /database after the host, e.g. jdbc:postgresql://localhost:5432/bemserver");
        }
        Properties parsed;
        // pgjdbc logs the URL it cannot read, password included: keep its logger quiet meanwhile
        Logger driverLog = Logger.getLogger("org.postgresql");
        Level level = driverLog.getLevel();
        driverLog.setLevel(Level.OFF);
        try {
            parsed = org.postgresql.Driver.parseURL(text, new Properties());
        } catch (RuntimeException e) {
            parsed = null;
        } finally {
            driverLog.setLevel(level);
        }
        if (parsed == null) {
            throw malformed(source, "pgjdbc cannot read it; expected jdbc:postgresql://host:port/database");
        }
        String hosts = parsed.getProperty("PGHOST", "localhost");
        String ports = parsed.getProperty("PGPORT", String.valueOf(DatabaseUri.DEFAULT_PORT));
        if (hosts.contains(",")) {
            throw malformed(source, "several hosts are not supported yet: name one host");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        String user = null;
        String password = null;
        for (String key : parsed.stringPropertyNames().stream().sorted().toList()) {
            String value = parsed.getProperty(key);
            switch (key) {
                case "PGHOST", "PGPORT", "PGDBNAME" -> {}
                case "user" -> user = value;
                case "password" -> password = value;
                default -> parameters.put(key, value);
            }
        }
        checkTimeouts(parameters, source);
        return new DatabaseUri(
                "jdbc:postgresql",
                hosts,
                port(ports, source),
                parsed.getProperty("PGDBNAME", ""),
                user,
                password,
                parameters);
    }

    private static void checkTimeouts(Map<String, String> parameters, String source) {
        TIMEOUTS.forEach((name, valid) -> {
            String value = parameters.get(name);
            if (value != null && !valid.matcher(value).matches()) {
                String libpq = LIBPQ_TO_PGJDBC.entrySet().stream()
                        .filter(e -> e.getValue().equals(name))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElse(name);
                throw malformed(source, "its " + libpq + " is not a number of seconds");
            }
        });
    }

    private static boolean contains(String text, char c) {
        return text != null && text.indexOf(c) >= 0;
    }

    private static Map<String, String> parseQuery(String query, String source) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals), source, "parameter name");
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), source, "parameter value");
            if (!key.matches("[A-Za-z_][A-Za-z0-9_.\\-]{0,63}")) {
                throw malformed(source, "a query parameter name is not a plain word");
            }
            parameters.put(key, value);
        }
        return parameters;
    }

    private static String decode(String text, String source, String what) {
        if (text == null) {
            return null;
        }
        try {
            // URLDecoder turns '+' into ' '; in a URI path or userinfo '+' is a plain character.
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed(source, "its " + what + " has a broken percent-escape (write '%' as %25)");
        }
    }

    private static int port(String text, String source) {
        if (text == null || text.isEmpty()) {
            return DatabaseUri.DEFAULT_PORT;
        }
        if (text.matches("[0-9]{1,5}")) {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw malformed(source, "its port is not a number from 1 to 65535");
    }

    private static ConfigurationException unsupported(String dialect, String source) {
        return new ConfigurationException(dialect + " is not supported: this plugin drives PostgreSQL (" + source
                + " must start with postgresql+psycopg://, postgresql:// or jdbc:postgresql://)");
    }

    private static ConfigurationException malformed(String source, String reason) {
        return new ConfigurationException(source + " is not a valid database URI: " + reason
                + " (expected e.g. postgresql+psycopg://user:password@localhost:5432/bemserver)");
    }

    private static String example(String source) {
        return "set it to the database URI, e.g. export " + source
                + "=postgresql+psycopg://user:password@localhost:5432/bemserver (or " + source
                + "=embedded for a local embedded PostgreSQL under target/bemserver)";
    }
}
