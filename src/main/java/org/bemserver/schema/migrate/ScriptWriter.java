package org.bemserver.schema.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.migrate.ScriptText.Step;

/**
 * Writes, without a database, the SQL that takes a database from one revision to another
 * ({@code db-script}), for {@code psql}: the migrations (or the undo scripts) exactly as
 * {@code db-upgrade} (or {@code db-downgrade}) runs them, the history rows Flyway would write (or
 * their removal), behind the locks the plugin and Flyway take and a guard that stops the script,
 * before anything changes, on a database that is not at the expected revision.
 *
 * <p>This class reads and checks the scripts ({@link #plan}) and writes the file; {@link ScriptText}
 * writes its text.
 */
public final class ScriptWriter {

    /** The word users give for an empty database. */
    public static final String BASE = "base";

    /** Orders revisions with base ({@code null}) below every one. */
    private static final Comparator<Version> BASE_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

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

    private final MigrationSettings settings;
    private final String from;
    private final String to;
    private final boolean downgrade;
    private final List<Step> steps;
    private final ScriptText text;

    private ScriptWriter(
            MigrationSettings settings,
            List<ProjectScript> scripts,
            String from,
            String to,
            boolean downgrade,
            List<Step> steps) {
        this.settings = settings;
        this.from = from;
        this.to = to;
        this.downgrade = downgrade;
        this.steps = steps;
        this.text = new ScriptText(settings, scripts, from, to, downgrade, steps);
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
        if (!scan.callbacks().isEmpty()) {
            throw new ConfigurationException("Cannot write the script: the locations hold Flyway callback scripts "
                    + "(beforeMigrate.sql, ...), which db-script does not write; run db-upgrade instead");
        }
        List<ProjectScript> scripts = new ArrayList<>(scan.versioned());
        scripts.sort(Comparator.comparing(ProjectScript::version));
        if (from == null || from.isBlank()) {
            throw new ConfigurationException("bemserver.from is required: the revision the database is at, "
                    + "or base for an empty database (e.g. -Dbemserver.from=5)");
        }
        Version start = revision(scripts, from.strip(), "bemserver.from");
        Version end = to == null || to.isBlank() || to.strip().equals(Migrations.HEAD)
                ? head(scripts)
                : revision(scripts, to.strip(), "bemserver.revision");
        String startId = id(start);
        String endId = id(end);
        if (Objects.equals(start, end)) {
            throw new ConfigurationException("bemserver.from and bemserver.revision are both " + display(startId)
                    + ": there is nothing to script; give the revision the database is at and the one it should reach");
        }
        boolean downgrade = BASE_FIRST.compare(start, end) > 0;
        List<Path> repeatable = downgrade ? List.of() : scan.repeatable();
        if (!repeatable.isEmpty()) {
            // db-upgrade runs a repeatable script after the versioned ones whenever its checksum
            // differs from its last history row: a condition on the database, not on the revisions
            throw new ConfigurationException("Cannot write the script, nothing was written: "
                    + repeatable.stream().map(settings::display).collect(Collectors.joining(", "))
                    + (repeatable.size() == 1 ? " is a repeatable script" : " are repeatable scripts")
                    + ", which db-script does not write: run db-upgrade on the database instead, "
                    + "or move the SQL into a versioned migration (V<rev>__<slug>.sql)");
        }
        Placeholders placeholders = Placeholders.forProject(
                settings, () -> Map.of("flyway:user", ScriptText.USER, "flyway:database", ScriptText.DATABASE));
        List<String> problems = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        List<ProjectScript> order = new ArrayList<>(scripts);
        if (downgrade) {
            Collections.reverse(order);
        }
        for (ProjectScript script : order) {
            Version version = script.version();
            Version low = downgrade ? end : start;
            Version high = downgrade ? start : end;
            if (BASE_FIRST.compare(version, low) <= 0 || BASE_FIRST.compare(version, high) > 0) {
                continue;
            }
            Step step = downgrade
                    ? undoStep(script, scan, placeholders, settings, problems)
                    : new Step(script, script.parse(placeholders));
            if (step != null) {
                problems.addAll(downgrade ? undoProblems(step.sql()) : migrationProblems(step.sql(), settings.mixed()));
                steps.add(step);
            }
        }
        if (!problems.isEmpty()) {
            // a statement quoted in a problem shows the session's placeholders as the script has them
            throw new MigrationException(ScriptText.shown(
                    problems.size() == 1
                            ? "Cannot write the script, nothing was written: " + problems.get(0)
                            : "Cannot write the script, nothing was written; " + problems.size() + " problems: "
                                    + String.join("; ", problems)));
        }
        return new ScriptWriter(settings, scripts, startId, endId, downgrade, steps);
    }

    private static Step undoStep(
            ProjectScript script,
            MigrationFiles.Scan scan,
            Placeholders placeholders,
            MigrationSettings settings,
            List<String> problems) {
        List<MigrationFiles.UndoScript> undo = scan.undo().getOrDefault(script.version(), List.of());
        if (undo.isEmpty()) {
            problems.add("revision " + script.id() + " has no undo script: write U" + script.id() + "__"
                    + script.script().substring(script.script().indexOf("__") + 2) + " beside " + script.script());
            return null;
        }
        if (undo.size() > 1) {
            problems.add(MigrationFiles.UndoScript.several(script.id(), undo));
            return null;
        }
        return new Step(script, undo.get(0).parse(placeholders));
    }

    private static List<String> undoProblems(SqlScript undo) {
        List<String> problems = new ArrayList<>();
        for (SqlScript.Statement statement : undo.statements()) {
            String refusal = statement.refusal();
            if (refusal != null) {
                problems.add(undo.at(statement) + ": " + refusal);
            } else if (sessionInCopy(statement)) {
                problems.add(sessionInCopy(undo, statement));
            } else if (!statement.canRunInTransaction()) {
                problems.add(undo.at(statement) + " cannot run in a transaction, and a downgrade runs in one, "
                        + "as db-downgrade runs it: rewrite it (DROP INDEX without CONCURRENTLY)");
            }
        }
        return problems;
    }

    /**
     * Whether a {@code COPY ... FROM stdin} uses {@code ${flyway:user}} or {@code ${flyway:database}},
     * which db-script replaces with the session's in a {@code DO} block, where no data can follow.
     */
    private static boolean sessionInCopy(SqlScript.Statement statement) {
        return statement.isCopyFromStdin()
                && (ScriptText.usesSession(statement.sql())
                        || statement.data() != null && ScriptText.usesSession(statement.data()));
    }

    private static String sessionInCopy(SqlScript script, SqlScript.Statement statement) {
        return script.at(statement) + " uses ${flyway:user} or ${flyway:database} in a COPY ... FROM stdin or its "
                + "rows, which db-script cannot write: name the role or database";
    }

    private static List<String> migrationProblems(SqlScript migration, boolean mixed) {
        List<String> problems = new ArrayList<>();
        boolean outside = !migration.runsInTransaction();
        for (SqlScript.Statement statement : migration.statements()) {
            // psql feeds a COPY ... FROM stdin the data lines that follow it, as Flyway does in db-upgrade
            // (what they read differently is the migration's problem, below)
            String refusal = statement.isTransactionControl() ? statement.refusal() : null;
            if (refusal != null) {
                problems.add(migration.at(statement) + ": " + refusal);
            } else if (sessionInCopy(statement)) {
                problems.add(sessionInCopy(migration, statement));
            } else if (outside && ScriptText.usesSession(statement.sql())) {
                problems.add(migration.at(statement) + " uses ${flyway:user} or ${flyway:database} in a script that "
                        + "runs outside a transaction, which db-script cannot write: name the role or database");
            }
        }
        String problem = migration.migrationProblem(mixed);
        if (problem != null) {
            problems.add(problem);
        }
        return problems;
    }

    /** {@code null} for base, else the project's revision named {@code value}. */
    private static Version revision(List<ProjectScript> scripts, String value, String property) {
        if (value.equals(BASE)) {
            return null;
        }
        Version version = null;
        try {
            version = Version.of(value);
        } catch (IllegalArgumentException e) {
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

    private static Version head(List<ProjectScript> scripts) {
        if (scripts.isEmpty()) {
            throw new ConfigurationException(
                    "The project has no revision: there is nothing to script " + "(write one with db-revision)");
        }
        return scripts.get(scripts.size() - 1).version();
    }

    private static String id(Version version) {
        return version == null ? null : version.id();
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
            Path temporary = directory.resolve("." + file.getFileName() + ".part");
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
        return text.sql(project, fileName);
    }
}
