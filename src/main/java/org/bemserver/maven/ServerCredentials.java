package org.bemserver.maven;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.connect.Credentials;

/** The user and password of a settings.xml {@code <server>} ({@code bemserver.serverId}), decrypted. */
final class ServerCredentials {

    private ServerCredentials() {}

    /** The credentials of {@code serverId}, or {@code null} when it is unset (the URI's are used). */
    static Credentials of(MavenSession session, SettingsDecrypter decrypter, String serverId) {
        if (serverId == null || serverId.isBlank()) {
            return null;
        }
        Server server = session.getSettings().getServer(serverId);
        if (server == null) {
            throw new ConfigurationException("bemserver.serverId names '" + serverId + "', but settings.xml has no "
                    + "<server> with that id: add one (with <username> and <password>) or remove bemserver.serverId");
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                throw new ConfigurationException("Cannot decrypt the password of settings.xml <server> '" + serverId
                        + "': " + problem.getMessage() + " (check ~/.m2/settings-security.xml)");
            }
        }
        Server decrypted = result.getServer();
        return new Credentials(serverId, decrypted.getUsername(), decrypted.getPassword());
    }
}
