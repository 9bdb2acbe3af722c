package org.bemserver.schema.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.bemserver.schema.ConfigurationException;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @Test
    void readsTheUriFromTheNamedVariable() {
        ConnectionSettings settings = ConnectionSettings.resolve(
                "SQLALCHEMY_DATABASE_URI",
                Map.of("SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://bem:pw@db/core")::get,
                null,
                TEN_SECONDS);

        assertThat(settings.isEmbedded()).isFalse();
        assertThat(settings.uri().masked()).isEqualTo("postgresql+psycopg://bem:***@db:5432/core");
        assertThat(settings.connectTimeout()).isEqualTo(TEN_SECONDS);
    }

    @Test
    void anotherVariableCanBeNamed() {
        ConnectionSettings settings = ConnectionSettings.resolve(
                "CORE_DB", Map.of("CORE_DB", "postgresql://bem@db/core")::get, null, TEN_SECONDS);

        assertThat(settings.variable()).isEqualTo("CORE_DB");
        assertThat(settings.uri().database()).isEqualTo("core");
    }

    @Test
    void embeddedSelectsTheEmbeddedServer() {
        ConnectionSettings settings = ConnectionSettings.resolve(
                "SQLALCHEMY_DATABASE_URI", Map.of("SQLALCHEMY_DATABASE_URI", "embedded\n")::get, null, TEN_SECONDS);

        assertThat(settings.isEmbedded()).isTrue();
    }

    @Test
    void anUnsetVariableIsAnErrorNotTheEmbeddedServer() {
        assertThatThrownBy(() -> ConnectionSettings.resolve("SQLALCHEMY_DATABASE_URI", name -> null, null, TEN_SECONDS))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("SQLALCHEMY_DATABASE_URI is not set: set it to the database URI");
    }

    @Test
    void settingsXmlCredentialsReplaceThoseOfTheUri() {
        ConnectionSettings settings = ConnectionSettings.resolve(
                "SQLALCHEMY_DATABASE_URI",
                Map.of("SQLALCHEMY_DATABASE_URI", "postgresql://bem:old@db/core")::get,
                new Credentials("core-db", "deploy", "n3w"),
                TEN_SECONDS);

        assertThat(settings.uri().user()).isEqualTo("deploy");
        assertThat(settings.uri().password()).isEqualTo("n3w");
    }

    @Test
    void settingsXmlWithoutAUserKeepsTheUriUser() {
        ConnectionSettings settings = ConnectionSettings.resolve(
                "SQLALCHEMY_DATABASE_URI",
                Map.of("SQLALCHEMY_DATABASE_URI", "postgresql://bem@db/core")::get,
                new Credentials("core-db", null, "n3w"),
                TEN_SECONDS);

        assertThat(settings.uri().user()).isEqualTo("bem");
        assertThat(settings.uri().password()).isEqualTo("n3w");
    }

    @Test
    void refusesAVariableNameThatIsNotOne() {
        assertThatThrownBy(() -> ConnectionSettings.resolve("MY-URI;", name -> null, null, TEN_SECONDS))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("bemserver.uriEnv must name an environment variable (letters, digits, _), not 'MY-URI;'");
    }

    @Test
    void refusesAUriGivenAsTheVariableNameWithoutShowingIt() {
        assertThatThrownBy(() -> ConnectionSettings.resolve(
                        "postgresql+psycopg://bem:Zq9s3cr3t@localhost/core", name -> null, null, TEN_SECONDS))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("bemserver.uriEnv must name an environment variable (letters, digits, _), not a URI: "
                        + "give the name of the variable that holds it");
    }

    @Test
    void refusesANonPositiveTimeout() {
        assertThatThrownBy(() -> ConnectionSettings.resolve(
                        "SQLALCHEMY_DATABASE_URI",
                        Map.of("SQLALCHEMY_DATABASE_URI", "postgresql://bem@db/core")::get,
                        null,
                        Duration.ZERO))
                .hasMessage("bemserver.connectTimeout must be a positive number of seconds");
    }

    @Test
    void theServerOfThrowawayDatabasesComesFromDevUriOrTheVariableDevUriEnvNames() {
        Map<String, String> environment = Map.of("DEV_URI", " postgresql://dev:secret@devhost/postgres ", "BLANK", " ");
        assertThat(ConnectionSettings.devServer("embedded", null, environment::get)
                        .isEmbedded())
                .isTrue();
        assertThat(ConnectionSettings.devServer(" ", "", environment::get).isEmbedded())
                .isTrue();
        ConnectionSettings.DevServer given =
                ConnectionSettings.devServer("postgresql://dev:pw@other/postgres", null, environment::get);
        assertThat(given.uri().masked()).isEqualTo("postgresql://dev:***@other:5432/postgres");
        assertThat(given.source()).isEqualTo("bemserver.devUri");
        // the password stays out of the parameters: the variable holds it
        ConnectionSettings.DevServer named = ConnectionSettings.devServer("embedded", "DEV_URI", environment::get);
        assertThat(named.uri().password()).isEqualTo("secret");
        assertThat(named.uri().masked()).isEqualTo("postgresql://dev:***@devhost:5432/postgres");
        assertThat(named.source()).isEqualTo("DEV_URI (bemserver.devUriEnv)");
        assertThat(ConnectionSettings.devServer(null, "EMBEDDED_DEV", Map.of("EMBEDDED_DEV", "embedded")::get)
                        .isEmbedded())
                .isTrue();

        assertThatThrownBy(() -> ConnectionSettings.devServer("postgresql://a@b/c", "DEV_URI", environment::get))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("bemserver.devUri and bemserver.devUriEnv are both given: keep one (bemserver.devUriEnv "
                        + "keeps the password out of what Maven prints)");
        assertThatThrownBy(() -> ConnectionSettings.devServer("embedded", "BLANK", environment::get))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("bemserver.devUriEnv names BLANK, which is not set: export it with the URI of the server "
                        + "of throwaway databases (or embedded), or remove bemserver.devUriEnv");
        assertThatThrownBy(() -> ConnectionSettings.devServer("embedded", "postgresql://a:pw@b/c", environment::get))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("bemserver.devUriEnv must name an environment variable (letters, digits, _), not a URI: "
                        + "give the name of the variable that holds it")
                .message()
                .doesNotContain("pw");
        assertThatThrownBy(
                        () -> ConnectionSettings.devServer("embedded", "DEV_URI", Map.of("DEV_URI", "mysql://x")::get))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("DEV_URI (bemserver.devUriEnv)");
    }
}
