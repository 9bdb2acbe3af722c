package org.bemserver.schema.connect;

/**
 * A user name and password from outside the URI (a settings.xml {@code <server>}).
 *
 * @param serverId the settings.xml server id they came from, for messages
 * @param user user name, or {@code null} to keep the URI's
 * @param password password, or {@code null} to keep the URI's
 */
public record Credentials(String serverId, String user, String password) {

    @Override
    public String toString() {
        return "Credentials[serverId=" + serverId + ", user=" + user + ", password=" + (password == null ? null : "***")
                + "]";
    }
}
