package org.bemserver.schema.migrate;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.bemserver.schema.connect.Database;
import org.flywaydb.core.api.MigrationState;

/**
 * Flyway's info of the project, worked out from one read of the history table and the scan of the
 * locations, without starting Flyway, for the cases where the answer is certain: versioned SQL
 * scripts only, and a history of successful rows, each the project's script of that revision with
 * its name, description and checksum, applied in revision order, with nothing unapplied below the
 * newest. That is every database a team upgrades day to day, and starting Flyway (its classes,
 * configuration, plugin discovery and connections) costs about a third of a second, most of what
 * {@code db-current} or an upgrade with nothing to do costs beyond Maven's own start.
 *
 * <p>Anything else (repeatable scripts, a failed, baseline or missing row, an edited or renamed
 * script, an ignored one, a database ahead of the project, a history that cannot be read) is left
 * to Flyway, whose answer and messages stay the reference: {@link #of} then returns {@code null}.
 * The same lines as Flyway's, field for field, are proven in {@code DirectInfoTest} (Flyway 13
 * leaves the resolved and applied descriptions of its info lines empty, and so does this).
 */
final class DirectInfo {

    private DirectInfo() {}

    /** Flyway's info lines, read on a connection of {@code dataSource}, or {@code null} when Flyway must answer. */
    static List<Migration> read(DataSource dataSource, HistoryTable history, MigrationFiles.Scan scan) {
        if (!versionedOnly(scan)) {
            return null; // no history read: Flyway answers anyway
        }
        List<HistoryTable.Row> rows;
        try (Database.Borrowed borrowed = Database.borrow(dataSource)) {
            rows = history.read(borrowed.connection());
        } catch (SQLException e) {
            // Flyway reads it again and reports what is wrong in its own words
            return null;
        }
        return of(scan, rows);
    }

    /** Whether the scan found sound versioned scripts only: no problem, no repeatable script. */
    private static boolean versionedOnly(MigrationFiles.Scan scan) {
        return scan.problems().isEmpty() && scan.repeatable().isEmpty();
    }

    /** Flyway's info lines for these scripts and history rows, or {@code null} when Flyway must answer. */
    static List<Migration> of(MigrationFiles.Scan scan, List<HistoryTable.Row> rows) {
        if (!versionedOnly(scan)) {
            return null;
        }
        Map<Version, ProjectScript> scripts = new HashMap<>();
        scan.versioned().forEach(script -> scripts.put(script.version(), script));
        List<Migration> lines = new ArrayList<>();
        Version newest = null;
        for (HistoryTable.Row row : rows) {
            if (!row.success()) {
                return null;
            }
            if ("SCHEMA".equals(row.type()) && row.version() == null) {
                lines.add(schemaLine(row));
                continue;
            }
            Version version = "SQL".equals(row.type()) ? parse(row.version()) : null;
            ProjectScript script = version == null ? null : scripts.remove(version);
            if (script == null
                    || !script.script().equals(row.script())
                    || !script.description().equals(row.description())
                    || !Objects.equals(script.checksum(), row.checksum())
                    || (newest != null && version.compareTo(newest) <= 0)) {
                return null;
            }
            newest = version;
            lines.add(appliedLine(script, row));
        }
        List<ProjectScript> pending = new ArrayList<>(scripts.values());
        pending.sort(Comparator.comparing(ProjectScript::version));
        for (ProjectScript script : pending) {
            if (newest != null && script.version().compareTo(newest) < 0) {
                return null;
            }
            lines.add(pendingLine(script));
        }
        return lines;
    }

    private static Version parse(String version) {
        try {
            return version == null ? null : Version.of(version);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Migration appliedLine(ProjectScript script, HistoryTable.Row row) {
        return new Migration(
                script.version(),
                row.description(),
                row.script(),
                MigrationState.SUCCESS,
                Migration.Kind.SQL,
                row.checksum(),
                script.checksum(),
                row.checksum(),
                true,
                null,
                null,
                true,
                script.file().toString(),
                row.installedOn(),
                row.installedBy(),
                row.executionTime());
    }

    private static Migration pendingLine(ProjectScript script) {
        return new Migration(
                script.version(),
                script.description(),
                script.script(),
                MigrationState.PENDING,
                Migration.Kind.SQL,
                script.checksum(),
                script.checksum(),
                null,
                true,
                null,
                null,
                true,
                script.file().toString(),
                null,
                null,
                null);
    }

    /** The row Flyway writes when it creates the managed schemas. */
    private static Migration schemaLine(HistoryTable.Row row) {
        return new Migration(
                null,
                row.description(),
                row.script(),
                MigrationState.SUCCESS,
                Migration.Kind.SCHEMA,
                row.checksum(),
                null,
                row.checksum(),
                true,
                null,
                null,
                true,
                "",
                row.installedOn(),
                row.installedBy(),
                row.executionTime());
    }
}
