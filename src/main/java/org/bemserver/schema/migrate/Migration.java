package org.bemserver.schema.migrate;

import java.time.Instant;
import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * One line of Flyway's info: a script of the project, a row of the history table, or both, copied
 * out of Flyway's {@link MigrationInfo} so that what it means can be worked out without Flyway
 * ({@link MigrationStates}).
 *
 * @param version the revision, or {@code null} for a repeatable script
 * @param description the description, from the history row when there is one
 * @param script the script's file name
 * @param state where Flyway puts it: pending, applied, failed, missing...
 * @param kind what sort of line it is
 * @param checksum the checksum Flyway records for it (the history row's when applied)
 * @param resolvedChecksum the checksum of the script on disk, or {@code null} when there is none
 * @param appliedChecksum the checksum in the history row, or {@code null} when there is none
 * @param checksumMatching whether the script on disk still has the checksum it was applied with
 * @param resolvedDescription the description from the script's file name, or {@code null}
 * @param appliedDescription the description in the history row, or {@code null}
 * @param descriptionMatching whether the script's file name still gives the applied description
 * @param physicalLocation the script's path on disk, or {@code null} / empty when there is no file
 * @param installedOn when it was applied, or {@code null}
 * @param installedBy who applied it, or {@code null}
 * @param executionTime how long it took in milliseconds, or {@code null}
 */
record Migration(
        Version version,
        String description,
        String script,
        MigrationState state,
        Kind kind,
        Integer checksum,
        Integer resolvedChecksum,
        Integer appliedChecksum,
        boolean checksumMatching,
        String resolvedDescription,
        String appliedDescription,
        boolean descriptionMatching,
        String physicalLocation,
        Instant installedOn,
        String installedBy,
        Integer executionTime) {

    /** The sorts of lines the plugin tells apart. */
    enum Kind {
        /** An SQL script. */
        SQL,
        /** The row Flyway writes when it creates the managed schemas: not a revision. */
        SCHEMA,
        /** A baseline row or script. */
        BASELINE,
        /** Anything else (a Java migration, a script of another language). */
        OTHER
    }

    static Migration of(MigrationInfo info) {
        Kind kind = info.getType() == CoreMigrationType.SCHEMA
                ? Kind.SCHEMA
                : info.getType().isBaseline()
                        ? Kind.BASELINE
                        : info.getType() == CoreMigrationType.SQL ? Kind.SQL : Kind.OTHER;
        return new Migration(
                versionOf(info.getVersion()),
                info.getDescription(),
                info.getScript(),
                info.getState(),
                kind,
                info.getChecksum(),
                info.getResolvedChecksum(),
                info.getAppliedChecksum(),
                info.isChecksumMatching(),
                info.getResolvedDescription(),
                info.getAppliedDescription(),
                info.isDescriptionMatching(),
                info.getPhysicalLocation(),
                info.getInstalledOn() == null ? null : info.getInstalledOn().toInstant(),
                info.getInstalledBy(),
                info.getExecutionTime());
    }

    /** Flyway's version as ours; {@code null} for a repeatable script. */
    private static Version versionOf(MigrationVersion version) {
        return version == null || version.getVersion() == null ? null : Version.of(version.getVersion());
    }

    /** The revision as users write it ({@code 1.2}), or {@code null} for a repeatable script. */
    String id() {
        return version == null ? null : version.id();
    }

    Revision revision() {
        return new Revision(id(), description, script);
    }

    /** Whether the script is on disk, as Flyway found it. */
    boolean hasFile() {
        return physicalLocation != null && !physicalLocation.isEmpty();
    }
}
