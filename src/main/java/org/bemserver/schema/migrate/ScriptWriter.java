package org.bemserver.schema.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.Identifiers;
import org.bemserver.schema.MigrationException;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Writes, without a database, the SQL that takes a database from one revision to another
 * ({@code db-script}), for {@code psql}: the migrations (or the undo scripts) exactly as
 * {@code db-upgrade} (or {@code db-downgrade}) runs them, the history rows Flyway would write (or
 * their removal), behind the locks the plugin and Flyway take and a guard that stops the script,
 * before anything changes, on a database that is not at the expected revision.
 *
 * <p>{@code ${flyway:user}} and {@code ${flyway:database}} name the session that runs the script,
 * which is not known when it is written: the script reads them once at its start into two settings
 * of the session ({@code bemserver.flyway_user}, {@code bemserver.flyway_database}), and a statement
 * that uses them runs through {@code EXECUTE} in a {@code DO} block that replaces them in its text,
 * as Flyway replaces them. That works under {@code psql} and over JDBC alike, which psql variables
 * ({@code :name}, not replaced inside quotes) would not.
 */
public final class ScriptWriter {

    /** The word users give for an empty database. */
    public static final String BASE = "base";

    private static final String USER = "${flyway:user}";
    private static final String DATABASE = "${flyway:database}";

    /**
     * A script written.
     *
     * @param file where it is
     * @param from the revision it starts from, {@code null} for base
     * @param to the revision it reaches, {@code null} for base
     * @param downgrade whether it runs undo scripts
     * @param revisions the revisions it applies or undoes, in the order it does
     */
    public record Written(Path file, String from, String to, boolean downgrade, List<Revision> revisions) {

        /** {@code upgrade-5-to-8}: the file's name without {@code .sql}, also its artifact classifier. */
        public String classifier() {
            return name(downgrade, from, to);
        }
    }

    /** One migration or undo script of the script, parsed. */
    private record Step(ProjectScript script, SqlScript sql) {}

    private final MigrationSettings settings;
    private final HistoryTable history;
    private final List<ProjectScript> scripts;
    private final String from;
    private final String to;
    private final boolean downgrade;
    private final List<Step> steps;

    private ScriptWriter(
            MigrationSettings settings,
            List<ProjectScript> scripts,
            String from,
            String to,
            boolean downgrade,
            List<Step> steps) {
        this.settings = settings;
        this.history = new HistoryTable(settings.schemas().get(0), settings.table());
        this.scripts = scripts;
        this.from = from;
        this.to = to;
        this.downgrade = downgrade;
        this.steps = steps;
    }

    /**
     * Reads and checks the scripts from {@code from} ({@code base} or a revision) to {@code to}
     * ({@code null} or {@code head}: the newest revision; {@code base}; a revision); every problem
     * is found before anything is written.
     */
    public static ScriptWriter plan(MigrationSettings settings, String from, String to) {
        MigrationFiles.Scan scan = MigrationFiles.scan(settings);
        if (!scan.problems().isEmpty()) {
            throw new MigrationException(MigrationStates.problemsMessage(scan.problems()));
        }
        if (MigrationFiles.hasCallbacks(settings)) {
            throw new ConfigurationException("Cannot write the script: the locations hold Flyway callback scripts "
                    + "(beforeMigrate.sql, ...), which db-script does not write; run db-upgrade instead");
        }
        List<ProjectScript> scripts = new ArrayList<>(scan.versioned());
        scripts.sort(Comparator.comparing(ProjectScript::version));
        if (from == null || from.isBlank()) {
            throw new ConfigurationException("bemserver.from is required: the revision the database is at, "
                    + "or base for an empty database (e.g. -Dbemserver.from=5)");
        }
        MigrationVersion start = revision(scripts, from.strip(), "bemserver.from");
        MigrationVersion end = to == null || to.isBlank() || to.strip().equals(Migrations.HEAD)
                ? head(scripts)
                : revision(scripts, to.strip(), "bemserver.revision");
        String startId = id(start);
        String endId = id(end);
        if (start.equals(end)) {
            throw new ConfigurationException("bemserver.from and bemserver.revision are both " + display(startId)
                    + ": there is nothing to script; give the revision the database is at and the one it should reach");
        }
        boolean downgrade = start.compareTo(end) > 0;
        List<Path> repeatable = downgrade ? List.of() : MigrationFiles.repeatable(settings);
        if (!repeatable.isEmpty()) {
            // db-upgrade runs a repeatable script after the versioned ones whenever its checksum
            // differs from its last history row: a condition on the database, not on the revisions
            throw new ConfigurationException("Cannot write the script, nothing was written: "
                    + repeatable.stream().map(settings::display).collect(Collectors.joining(", "))
                    + (repeatable.size() == 1 ? " is a repeatable script" : " are repeatable scripts")
                    + ", which db-script does not write: run db-upgrade on the database instead, "
                    + "or move the SQL into a versioned migration (V<rev>__<slug>.sql)");
        }
        Placeholders placeholders =
                Placeholders.forProject(settings, () -> Map.of("flyway:user", USER, "flyway:database", DATABASE));
        List<String> problems = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        List<ProjectScript> order = new ArrayList<>(scripts);
        if (downgrade) {
            java.util.Collections.reverse(order);
        }
        for (ProjectScript script : order) {
            MigrationVersion version = script.version();
            MigrationVersion low = downgrade ? end : start;
            MigrationVersion high = downgrade ? start : end;
            if (version.compareTo(low) <= 0 || version.compareTo(high) > 0) {
                continue;
            }
            Step step = downgrade
                    ? undoStep(script, scan, placeholders, problems)
                    : new Step(script, read(settings, placeholders, script.file()));
            if (step != null) {
                problems.addAll(downgrade ? undoProblems(step.sql()) : migrationProblems(step.sql(), settings.mixed()));
                steps.add(step);
            }
        }
        if (!problems.isEmpty()) {
            throw new MigrationException(
                    problems.size() == 1
                            ? "Cannot write the script, nothing was written: " + problems.get(0)
                            : "Cannot write the script, nothing was written; " + problems.size() + " problems: "
                                    + String.join("; ", problems));
        }
        return new ScriptWriter(settings, scripts, startId, endId, downgrade, steps);
    }

    private static Step undoStep(
            ProjectScript script, MigrationFiles.Scan scan, Placeholders placeholders, List<String> problems) {
        List<MigrationFiles.UndoScript> undo = scan.undo().getOrDefault(script.version(), List.of());
        if (undo.isEmpty()) {
            problems.add("revision " + script.id() + " has no undo script: write U" + script.id() + "__"
                    + script.script().substring(script.script().indexOf("__") + 2) + " beside " + script.script());
            return null;
        }
        if (undo.size() > 1) {
            problems.add("revision " + script.id() + " has " + undo.size() + " undo scripts ("
                    + undo.stream()
                            .map(u -> u.file().getFileName().toString())
                            .sorted()
                            .collect(Collectors.joining(", "))
                    + "): keep one");
            return null;
        }
        String name = undo.get(0).file().getFileName().toString();
        return new Step(
                script,
                SqlScript.parse(name, placeholders.replace(name, undo.get(0).text())));
    }

    private static List<String> undoProblems(SqlScript undo) {
        List<String> problems = new ArrayList<>();
        for (SqlScript.Statement statement : undo.statements()) {
            String refusal = statement.refusal();
            if (refusal != null) {
                problems.add(where(undo, statement) + ": " + refusal);
            } else if (!statement.canRunInTransaction()) {
                problems.add(where(undo, statement) + " cannot run in a transaction, and a downgrade runs in one, "
                        + "as db-downgrade runs it: rewrite it (DROP INDEX without CONCURRENTLY)");
            }
        }
        return problems;
    }

    private static List<String> migrationProblems(SqlScript migration, boolean mixed) {
        List<String> problems = new ArrayList<>();
        boolean outside = !migration.nonTransactional().isEmpty();
        for (SqlScript.Statement statement : migration.statements()) {
            String refusal = statement.refusal();
            if (refusal != null) {
                problems.add(where(migration, statement) + ": " + refusal);
            } else if (outside && usesSession(statement.sql())) {
                problems.add(
                        where(migration, statement) + " uses ${flyway:user} or ${flyway:database} in a script that "
                                + "runs outside a transaction, which db-script cannot write: name the role or database");
            }
        }
        if (outside
                && !mixed
                && migration.nonTransactional().size() < migration.statements().size()) {
            SqlScript.Statement first = migration.nonTransactional().get(0);
            problems.add(where(migration, first) + " cannot run in a transaction, and the other statements of "
                    + migration.name()
                    + " can: move it to a revision of its own, or allow it with -Dbemserver.mixed=true");
        }
        return problems;
    }

    private static String where(SqlScript script, SqlScript.Statement statement) {
        return script.name() + " line " + statement.line() + " (" + statement.summary() + ")";
    }

    private static SqlScript read(MigrationSettings settings, Placeholders placeholders, Path file) {
        String name = file.getFileName().toString();
        try {
            return SqlScript.parse(name, placeholders.replace(name, Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new EnvironmentException("Cannot read " + settings.display(file) + ": " + e.getMessage(), e);
        }
    }

    /** {@code null} for base, else the project's revision named {@code value}. */
    private static MigrationVersion revision(List<ProjectScript> scripts, String value, String property) {
        if (value.equals(BASE)) {
            return MigrationVersion.EMPTY;
        }
        MigrationVersion version = null;
        try {
            version = MigrationVersion.fromVersion(value);
        } catch (FlywayException e) {
            // not a version at all: said below as an unknown revision
        }
        for (ProjectScript script : scripts) {
            if (script.version().equals(version)) {
                return version;
            }
        }
        List<String> ids = scripts.stream().map(ProjectScript::id).toList();
        throw new ConfigurationException(
                "Unknown revision " + value + " (" + property + "): this project's revisions are "
                        + (ids.isEmpty() ? "none" : RevisionStatus.shorten(ids)) + ", or base");
    }

    private static MigrationVersion head(List<ProjectScript> scripts) {
        if (scripts.isEmpty()) {
            throw new ConfigurationException(
                    "The project has no revision: there is nothing to script " + "(write one with db-revision)");
        }
        return scripts.get(scripts.size() - 1).version();
    }

    private static String id(MigrationVersion version) {
        return version.equals(MigrationVersion.EMPTY) ? null : version.getVersion();
    }

    private static String display(String revision) {
        return Revision.display(revision);
    }

    private static String name(boolean downgrade, String from, String to) {
        return (downgrade ? "downgrade-" : "upgrade-") + (from == null ? BASE : from) + "-to-"
                + (to == null ? BASE : to);
    }

    /** {@code upgrade-5-to-8.sql}: the file written when none is named. */
    public String defaultFileName() {
        return name(downgrade, from, to) + ".sql";
    }

    /**
     * Writes the script to {@code file} through a temporary file beside it, so that a failure leaves
     * no partial script.
     *
     * @param project the project, for the header ({@code org.example:app:1.2})
     */
    public Written write(Path file, String project) {
        String sql = sql(project, file.getFileName().toString());
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
            try {
                Files.writeString(temporary, sql, StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new EnvironmentException("Cannot write " + settings.display(file) + ": " + e.getMessage(), e);
        }
        return new Written(
                file,
                from,
                to,
                downgrade,
                steps.stream()
                        .map(s -> new Revision(
                                s.script().id(),
                                s.script().description(),
                                s.script().script()))
                        .toList());
    }

    /** The script's text; {@code fileName} is what its header tells to run. */
    String sql(String project, String fileName) {
        StringBuilder sql = new StringBuilder();
        header(sql, project, fileName);
        sql.append("\\set ON_ERROR_STOP on\n\n");
        sql.append("-- the locks db-upgrade, db-downgrade and Flyway take: this script never interleaves with them\n");
        sql.append("SELECT pg_advisory_lock(")
                .append(MigrationLock.runLockKey(history))
                .append(");\n");
        sql.append("SELECT pg_advisory_lock(").append(history.lockKey()).append(");\n");
        sql.append("-- the values of ${flyway:user} and ${flyway:database}, and Flyway's search path for migrations\n");
        String schema = literal(Identifiers.quoted(settings.schemas().get(0)));
        sql.append("DO $session$\nBEGIN\n")
                .append("    PERFORM set_config('bemserver.flyway_user', current_user, false);\n")
                .append("    PERFORM set_config('bemserver.flyway_database', current_database(), false);\n")
                .append("    IF current_setting('search_path') <> ")
                .append(schema)
                .append(" AND current_setting('search_path') NOT LIKE ")
                .append(literal(Identifiers.quoted(settings.schemas().get(0)) + ",%"))
                .append(" THEN\n")
                .append("        PERFORM set_config('search_path', ")
                .append(schema)
                .append(" || ',' || current_setting('search_path'), false);\n")
                .append("    END IF;\n")
                .append(
                        "    PERFORM set_config('bemserver.search_path', current_setting('search_path'), false);\nEND\n$session$;\n\n");
        guard(sql);
        if (downgrade) {
            downgradeSteps(sql);
        } else {
            upgradeSteps(sql);
        }
        sql.append("\nSELECT pg_advisory_unlock(").append(history.lockKey()).append(");\n");
        sql.append("SELECT pg_advisory_unlock(")
                .append(MigrationLock.runLockKey(history))
                .append(");\n");
        return sql.toString();
    }

    private void header(StringBuilder sql, String project, String fileName) {
        sql.append("-- ")
                .append(downgrade ? "Downgrade" : "Upgrade")
                .append(" of ")
                .append(project)
                .append(" from revision ")
                .append(display(from))
                .append(" to revision ")
                .append(display(to))
                .append(", written by bemserver db-script\n");
        sql.append("-- History table: ").append(history.displayName()).append("\n--\n");
        sql.append("-- Run it with: psql -v ON_ERROR_STOP=1 -f ")
                .append(fileName)
                .append(" (and your connection options)\n");
        sql.append("-- It takes Flyway's lock, then checks that the database is at revision ")
                .append(display(from))
                .append(" with the checksums below,\n-- and stops with nothing changed otherwise. ")
                .append(
                        downgrade
                                ? "The undo scripts run in one transaction, as db-downgrade runs them."
                                : "Each migration runs in a transaction of its own, as db-upgrade runs it.")
                .append("\n--\n");
        sql.append("-- Applied revisions expected (revision, script, checksum as Flyway computes it):\n");
        List<ProjectScript> applied = expected();
        if (applied.isEmpty()) {
            sql.append("--   none: the managed schemas are empty; the script creates ")
                    .append(history.displayName())
                    .append(" as Flyway does\n");
        }
        for (ProjectScript script : applied) {
            sql.append("--   ")
                    .append(script.id())
                    .append("  ")
                    .append(script.script())
                    .append("  ")
                    .append(script.checksum())
                    .append('\n');
        }
        sql.append(downgrade ? "-- Revisions undone, newest first:\n" : "-- Revisions applied:\n");
        for (Step step : steps) {
            sql.append("--   ")
                    .append(step.script().id())
                    .append("  ")
                    .append(downgrade ? step.sql().name() : step.script().script())
                    .append(downgrade ? "" : "  " + step.script().checksum())
                    .append('\n');
        }
        sql.append("--\n-- Verify afterwards: mvn bemserver:db-current prints \"Current revision: ")
                .append(display(to))
                .append(to != null && to.equals(scripts.get(scripts.size() - 1).id()) ? " (head)" : "")
                .append("\", or in psql:\n--   SELECT version, script, checksum, installed_by, success FROM ")
                .append(history.qualifiedName())
                .append(" ORDER BY installed_rank;\n\n");
    }

    /** The project's revisions the database must hold before the script runs. */
    private List<ProjectScript> expected() {
        if (from == null) {
            return List.of();
        }
        MigrationVersion start = MigrationVersion.fromVersion(from);
        return scripts.stream().filter(s -> s.version().compareTo(start) <= 0).toList();
    }

    /**
     * A {@code DO} block that stops the script with nothing changed unless the history holds
     * exactly the expected revisions, with their checksums, and no failed row.
     */
    private void guard(StringBuilder sql) {
        List<ProjectScript> expected = expected();
        String table = history.qualifiedName();
        String versions = expected.stream().map(s -> literal(s.id())).collect(Collectors.joining(", "));
        String checksums =
                expected.stream().map(s -> String.valueOf(s.checksum())).collect(Collectors.joining(", "));
        String expectedRevision = from == null ? "NULL" : literal(from);
        sql.append("-- stops here, with nothing changed, unless the database is at revision ")
                .append(display(from))
                .append('\n');
        sql.append("DO $guard$\nDECLARE\n    found text;\n    problem text;\n    versions text[] := ARRAY[")
                .append(versions)
                .append("]::text[];\n    checksums integer[] := ARRAY[")
                .append(checksums)
                .append("]::integer[];\nBEGIN\n");
        sql.append("    IF to_regclass(").append(literal(table)).append(") IS NOT NULL THEN\n");
        sql.append("        SELECT h.version INTO found FROM ")
                .append(table)
                .append(" h WHERE h.version IS NOT NULL AND h.success\n")
                .append("         ORDER BY string_to_array(h.version, '.')::numeric[] DESC LIMIT 1;\n");
        sql.append("        SELECT string_agg(p, '; ') INTO problem FROM (\n")
                .append(
                        "            SELECT 'revision ' || h.version || ' (' || h.script || ') is recorded as failed' AS p FROM ")
                .append(table)
                .append(" h WHERE NOT h.success\n")
                .append("            UNION ALL\n")
                .append(
                        "            SELECT 'revision ' || e.v || ' was applied with checksum ' || coalesce(h.checksum::text, 'none')\n")
                .append(
                        "                   || ' but the project''s is ' || e.c FROM unnest(versions, checksums) AS e(v, c)\n")
                .append("              JOIN ")
                .append(table)
                .append(" h ON h.version = e.v AND h.success WHERE h.checksum IS DISTINCT FROM e.c\n")
                .append("            UNION ALL\n")
                .append("            SELECT 'revision ' || e.v || ' is not applied' FROM unnest(versions) AS e(v)\n")
                .append("             WHERE NOT EXISTS (SELECT 1 FROM ")
                .append(table)
                .append(" h WHERE h.version = e.v AND h.success)\n")
                .append("        ) problems;\n");
        if (from == null) {
            sql.append(
                            "    ELSIF EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n")
                    .append("                 WHERE n.nspname = ANY (ARRAY[")
                    .append(settings.schemas().stream()
                            .map(ScriptWriter::literal)
                            .collect(Collectors.joining(", ")))
                    .append("]::text[])) THEN\n")
                    .append("        RAISE EXCEPTION 'The database holds objects but no history table ")
                    .append(history.displayName())
                    .append(": this script installs an empty database; nothing was changed';\n");
        }
        sql.append("    END IF;\n");
        sql.append("    IF found IS DISTINCT FROM ")
                .append(expectedRevision)
                .append(" THEN\n")
                .append("        RAISE EXCEPTION 'The database is at revision %, not ")
                .append(display(from))
                .append(" as this script expects: nothing was changed', coalesce(found, '<base>');\n")
                .append("    END IF;\n")
                .append("    IF problem IS NOT NULL THEN\n")
                .append("        RAISE EXCEPTION 'The database is at revision ")
                .append(display(from))
                .append(" but %: nothing was changed', problem;\n")
                .append("    END IF;\nEND\n$guard$;\n");
    }

    private void upgradeSteps(StringBuilder sql) {
        if (from == null) {
            sql.append("\n-- the history table, as Flyway creates it\nBEGIN;\n");
            sql.append("DO $create$\nBEGIN\n    IF to_regclass(")
                    .append(literal(history.qualifiedName()))
                    .append(") IS NULL THEN\n");
            for (String create : history.createStatements()) {
                sql.append("        EXECUTE ").append(literal(create)).append(";\n");
            }
            sql.append("    END IF;\nEND\n$create$;\nCOMMIT;\n");
        }
        int index = 0;
        for (Step step : steps) {
            ProjectScript script = step.script();
            boolean transactional = step.sql().nonTransactional().isEmpty();
            sql.append("\n-- Applying ")
                    .append(script.id())
                    .append(" - ")
                    .append(script.description())
                    .append(" (")
                    .append(++index)
                    .append('/')
                    .append(steps.size())
                    .append("): ")
                    .append(script.script())
                    .append('\n');
            sql.append(transactional ? "BEGIN;\n" : "-- runs outside a transaction, as Flyway runs it\n");
            sql.append("SELECT set_config('bemserver.started', clock_timestamp()::text, false);\n");
            statements(sql, step.sql());
            sql.append("INSERT INTO ")
                    .append(history.qualifiedName())
                    .append(
                            " (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)\n")
                    .append("SELECT coalesce(max(installed_rank), 0) + 1, ")
                    .append(literal(script.id()))
                    .append(", ")
                    .append(literal(script.description()))
                    .append(", 'SQL', ")
                    .append(literal(script.script()))
                    .append(", ")
                    .append(script.checksum())
                    .append(", current_setting('bemserver.flyway_user'),\n")
                    .append(
                            "       (extract(epoch FROM clock_timestamp() - current_setting('bemserver.started')::timestamptz) * 1000)::integer, true\n")
                    .append("  FROM ")
                    .append(history.qualifiedName())
                    .append(";\n");
            if (transactional) {
                sql.append("COMMIT;\n");
            }
        }
    }

    private void downgradeSteps(StringBuilder sql) {
        sql.append("\nBEGIN;\n");
        int index = 0;
        for (Step step : steps) {
            sql.append("\n-- Reverting ")
                    .append(step.script().id())
                    .append(" - ")
                    .append(step.script().description())
                    .append(" (")
                    .append(++index)
                    .append('/')
                    .append(steps.size())
                    .append("): ")
                    .append(step.sql().name())
                    .append('\n');
            statements(sql, step.sql());
        }
        sql.append("\nDELETE FROM ")
                .append(history.qualifiedName())
                .append(" WHERE version IN (")
                .append(steps.stream().map(s -> literal(s.script().id())).collect(Collectors.joining(", ")))
                .append(");\n");
        sql.append("COMMIT;\n");
    }

    /** A script's statements, then what restores the session for the next one, as db-upgrade restores it. */
    private static void statements(StringBuilder sql, SqlScript script) {
        for (SqlScript.Statement statement : script.statements()) {
            sql.append(usesSession(statement.sql()) ? withSession(statement.sql()) : statement.terminated())
                    .append('\n');
        }
        if (script.changesSession()) {
            sql.append(
                    "RESET ROLE;\nSELECT set_config('search_path', current_setting('bemserver.search_path'), false);\n");
        }
    }

    private static boolean usesSession(String statement) {
        return statement.contains(USER) || statement.contains(DATABASE);
    }

    /** The statement run with {@code ${flyway:user}} and {@code ${flyway:database}} replaced by the session's. */
    private static String withSession(String statement) {
        String inner = tag("statement", statement);
        String outer = tag("do", statement);
        return "DO " + outer + "\nBEGIN\n    EXECUTE replace(replace(" + inner + statement + inner + ",\n        '"
                + USER
                + "', current_setting('bemserver.flyway_user')), '" + DATABASE
                + "', current_setting('bemserver.flyway_database'));\nEND\n" + outer + ";";
    }

    /** A dollar-quote tag that does not occur in {@code text}. */
    private static String tag(String word, String text) {
        String tag = "$" + word + "$";
        for (int i = 1; text.contains(tag); i++) {
            tag = "$" + word + i + "$";
        }
        return tag;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
