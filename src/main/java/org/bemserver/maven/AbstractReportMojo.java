package org.bemserver.maven;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;

/** The goals that only tell where a database stands, as text or JSON. */
public abstract class AbstractReportMojo extends AbstractDbMojo {

    /**
     * {@code text} prints lines at INFO; {@code json} prints one JSON object on standard output, so
     * that {@code mvn -q} gives the document alone.
     */
    @Parameter(property = "bemserver.format", defaultValue = "text")
    protected String format;

    protected AbstractReportMojo(
            MavenSession session,
            MojoExecution execution,
            RepositorySystem repositorySystem,
            SettingsDecrypter settingsDecrypter) {
        super(session, execution, repositorySystem, settingsDecrypter);
    }

    protected OutputFormat outputFormat() {
        return OutputFormat.parse(format);
    }
}
