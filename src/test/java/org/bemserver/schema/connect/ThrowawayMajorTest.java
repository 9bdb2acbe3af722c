package org.bemserver.schema.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThrowawayMajorTest {

    private static final String VAR = "SQLALCHEMY_DATABASE_URI";

    @Test
    void withoutAServerNorAVersionThrowawayDatabasesRun17() {
        assertThat(ThrowawayMajor.choose(null, VAR, null)).isEqualTo(new ThrowawayMajor("17.7.0", null, false));
    }

    @Test
    void theServerOfTheProjectsDatabaseChoosesTheMajor() {
        assertThat(ThrowawayMajor.choose(null, VAR, "15"))
                .isEqualTo(new ThrowawayMajor(
                        "15.15.0",
                        "Throwaway databases run PostgreSQL 15, the major of the server SQLALCHEMY_DATABASE_URI names",
                        false));
    }

    @Test
    void anExplicitVersionWinsAndAMismatchWithTheServerIsSaid() {
        assertThat(ThrowawayMajor.choose("16", VAR, "16")).isEqualTo(new ThrowawayMajor("16.11.0", null, false));
        assertThat(ThrowawayMajor.choose("18", VAR, "15"))
                .isEqualTo(new ThrowawayMajor(
                        "18.1.0",
                        "Throwaway databases run PostgreSQL 18 (bemserver.embeddedVersion), but the server SQLALCHEMY_DATABASE_URI "
                                + "names runs PostgreSQL 15: results may differ from that server's; unset bemserver.embeddedVersion "
                                + "to use 15",
                        true));
    }

    @Test
    void aServerMajorWithoutBinariesFallsBackTo17WithAWarning() {
        assertThat(ThrowawayMajor.choose(null, VAR, "14"))
                .isEqualTo(new ThrowawayMajor(
                        "17.7.0",
                        "The server SQLALCHEMY_DATABASE_URI names runs PostgreSQL 14, which has no embedded binaries here: "
                                + "throwaway databases run 17 (point bemserver.devUri or bemserver.devUriEnv at a server of 14 to compare like with like)",
                        true));
    }
}
