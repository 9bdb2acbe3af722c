package org.bemserver.schema.migrate;

import java.util.List;
import java.util.stream.Collectors;
import org.bemserver.schema.Identifiers;

/**
 * The text of a {@code db-script} file, from a checked plan ({@link ScriptWriter#plan}): the
 * header, the locks, the session settings, the guard, the migrations with their history rows (or
 * the undo scripts and the removal of their rows), in the order docs/script.md gives.
 *
 * <p>{@code ${flyway:user}} and {@code ${flyway:database}} name the session that runs the script,
 * which is not known when it is written: the script reads them once at its start into two settings
 * of the session ({@code bemserver.flyway_user}, {@code bemserver.flyway_database}), and a statement
 * that uses them runs through {@code EXECUTE} in a {@code DO} block that replaces them in its text,
 * as Flyway replaces them. That works under {@code psql} and over JDBC alike, which psql variables
 * ({@code :name}, not replaced inside quotes) would not. A {@code ${flyway:user}} that Flyway
 * leaves as written (placeholder replacement off for the script, or after {@code $$}) stays text.
 */
final class ScriptText {

    /**
     * What the placeholders {@code ${flyway:user}} and {@code ${flyway:database}} are replaced with
     * while the script is written (see the class comment): with a NUL, which no script can hold
     * (PostgreSQL refuses it in a query), so that one written as text is not taken for them.
     */
    static final String USER = "\0flyway:user\0";

    static final String DATABASE = "\0flyway:database\0";

    /** One migration or undo script of the script, parsed. */
    record Step(ProjectScript script, SqlScript sql) {}

    private final MigrationSettings settings;
    private final HistoryTable history;
    private final List<ProjectScript> scripts;
    private final String from;
    private final String to;
    private final boolean downgrade;
    private final List<Step> steps;

    /**
     * @param settings the project's migration settings
     * @param scripts the project's versioned scripts, oldest first
     * @param from the revision the script starts from, {@code null} for base
     * @param to the revision it reaches, {@code null} for base
     * @param downgrade whether it runs undo scripts
     * @param steps the migrations or undo scripts it runs, in order
     */
    ScriptText(
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
        Version start = Version.of(from);
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
                    .append(settings.schemas().stream().map(ScriptText::literal).collect(Collectors.joining(", ")))
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
            boolean transactional = step.sql().runsInTransaction();
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

    /** {@code text} with {@link #USER} and {@link #DATABASE} written as the placeholders they stand for: for a message. */
    static String shown(String text) {
        return text.replace(USER, "${flyway:user}").replace(DATABASE, "${flyway:database}");
    }

    static boolean usesSession(String statement) {
        return statement.contains(USER) || statement.contains(DATABASE);
    }

    /** The statement run with {@code ${flyway:user}} and {@code ${flyway:database}} replaced by the session's. */
    private static String withSession(String statement) {
        // each written as the placeholder, unless the statement holds that text of its own
        String user = unused("${flyway:user", "}", statement);
        String database = unused("${flyway:database", "}", statement);
        String written = statement.replace(USER, user).replace(DATABASE, database);
        String inner = tag("statement", written);
        String outer = tag("do", written);
        return "DO " + outer + "\nBEGIN\n    EXECUTE replace(replace(" + inner + written + inner + ",\n        "
                + literal(user) + ", current_setting('bemserver.flyway_user')), " + literal(database)
                + ", current_setting('bemserver.flyway_database'));\nEND\n" + outer + ";";
    }

    /** A dollar-quote tag that does not occur in {@code text}. */
    private static String tag(String word, String text) {
        return unused("$" + word, "$", text);
    }

    /** {@code start + end}, or {@code start + n + end}: the first that does not occur in {@code text}. */
    private static String unused(String start, String end, String text) {
        String word = start + end;
        for (int i = 1; text.contains(word); i++) {
            word = start + i + end;
        }
        return word;
    }

    private static String literal(String text) {
        return Identifiers.literal(text);
    }

    private static String display(String revision) {
        return Revision.display(revision);
    }
}
