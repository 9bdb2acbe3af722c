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
}
