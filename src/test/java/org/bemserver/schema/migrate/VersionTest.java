package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

class VersionTest {

    private static final List<String> IDS =
            List.of("1", "1.0", "1_1", "1.1.0", "2", "0.4", "0.21", "10", "9", "2026.11.25.1", "2026.11.25");

    @Test
    void versionsSortAsFlywaySortsThem() {
        for (String a : IDS) {
            for (String b : IDS) {
                assertThat(Integer.signum(Version.of(a).compareTo(Version.of(b))))
                        .as("%s against %s", a, b)
                        .isEqualTo(Integer.signum(
                                MigrationVersion.fromVersion(a).compareTo(MigrationVersion.fromVersion(b))));
                assertThat(Version.of(a).equals(Version.of(b)))
                        .as("%s equals %s", a, b)
                        .isEqualTo(MigrationVersion.fromVersion(a).equals(MigrationVersion.fromVersion(b)));
            }
        }
    }

    @Test
    void anIdWithTrailingZerosIsTheSameRevisionAndKeepsItsText() {
        assertThat(Version.of("1.0")).isEqualTo(Version.of("1")).hasSameHashCodeAs(Version.of("1"));
        assertThat(Version.of("1.0").id()).isEqualTo("1.0");
        assertThat(new TreeSet<>(Stream.of("1.0", "1").map(Version::of).toList()))
                .hasSize(1);
    }

    @Test
    void underscoresReadAsDots() {
        assertThat(Version.of("1_1").id()).isEqualTo("1.1");
        assertThat(Version.of("2026_11_25_1").major()).isEqualTo(BigInteger.valueOf(2026));
    }

    @Test
    void anythingButNumbersIsRefused() {
        for (String id : new String[] {"", "a", "1.a", "1..2", "1.", "-1", "head"}) {
            assertThatThrownBy(() -> Version.of(id)).as(id).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
