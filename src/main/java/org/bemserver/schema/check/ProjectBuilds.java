package org.bemserver.schema.check;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.bemserver.schema.Background;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.catalog.Snapshot;
import org.bemserver.schema.catalog.SnapshotReader;
import org.bemserver.schema.catalog.TrackedSnapshot;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.diff.MigrationScript;
import org.bemserver.schema.diff.SchemaComparison;
import org.bemserver.schema.diff.SchemaDiff;
import org.bemserver.schema.migrate.Adoption;
import org.bemserver.schema.migrate.Locking;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.schema.migrate.RevisionScripts;
import org.bemserver.schema.migrate.SqlFailures;
import org.bemserver.schema.migrate.SqlScript;
import org.bemserver.schema.model.Setup;

/**
 * Builds the project's schema in throwaway databases, the two ways it can be built: upgraded from
 * empty by the migrations, and set up from the model; and reads their snapshots (the history tables
 * left out, the reference tables' rows in).
 *
 * @param settings the migrations
 * @param modelFiles the model's files, in the order they apply
 * @param referenceTables tables whose rows belong to the schema ({@code bemserver.referenceTables})
 */
public record ProjectBuilds(MigrationSettings settings, List<Path> modelFiles, List<String> referenceTables) {

    /**
     * How the line of a proof starts when the statement PostgreSQL refused is one the script's
     * {@code -- WARNING: known limit: ...} foretold: a case the engine cannot script, said by name.
     */
    public static final String KNOWN_LIMIT = "Known limit: ";

    public ProjectBuilds {
        modelFiles = List.copyOf(modelFiles);
        referenceTables = List.copyOf(referenceTables);
    }

    /** The project's migrations on {@code database}; their progress lines go to {@code reporter}. */
    public Migrations migrations(Database database, Reporter reporter) {
        return migrations(database.dataSource(), reporter);
    }

    /** The same on {@code dataSource} ({@link Database#awaiting}, say). */
    public Migrations migrations(DataSource dataSource, Reporter reporter) {
        return new Migrations(dataSource, settings, reporter, Locking.DEFAULT);
    }

    /** Sets {@code database} (empty) up from the model, at head. */
    public void setUp(Database database, Reporter reporter) {
        new Setup(migrations(database, reporter), modelFiles, reporter).run(false);
    }

    /**
     * What a script's {@code ${flyway:database}} is written as in the snapshots of the throwaway
     * databases a comparison builds from the project alone (migrations against the model), each of
     * which has a name of its own: a generated script keeps the placeholder, which Flyway replaces.
     */
    public static final String SESSION_DATABASE = "${flyway:database}";

    /** The managed schemas of {@code database}, without the history table, with the reference rows. */
    public Snapshot snapshot(Database database) {
        return SnapshotReader.read(database.dataSource(), settings.schemas(), historyTable(), referenceTables);
    }

    /**
     * The same of a throwaway database, its name written {@code nameAs} in what the objects hold
     * ({@link Snapshot#naming}): the live database's name, or {@link #SESSION_DATABASE}.
     */
    public Snapshot snapshot(Database database, String nameAs) {
        return snapshot(database).naming(database.name(), nameAs);
    }

    /**
     * The same for comparison only: without the dependencies between objects, which only script
     * generation needs.
     */
    public Snapshot snapshotForComparison(Database database, String nameAs) {
        return SnapshotReader.readForComparison(
                        database.dataSource(), settings.schemas(), historyTable(), referenceTables)
                .naming(database.name(), nameAs);
    }

    /**
     * The same for comparison only, read on {@code connection} and kept current by reading what
     * changed: for many small changes, run one at a time (best on another connection).
     */
    public TrackedSnapshot tracked(Connection connection) {
        return TrackedSnapshot.read(connection, settings.schemas(), historyTable(), referenceTables);
    }

    /**
     * Applies a generated script to {@code database} and compares the result with {@code expected}:
     * why the script is wrong, one line each, or nothing when it did its job. A statement refused
     * as its warning foretold is reported as that known limit ({@link #isKnownLimit}).
     *
     * @param nameAs what {@code database}'s name is written as in its snapshot ({@link #snapshot(Database, String)})
     */
    public List<String> prove(
            Database database, String what, MigrationScript script, Snapshot expected, String nameAs) {
        String failure = apply(database, what, script);
        if (failure != null) {
            return List.of(failure);
        }
        SchemaDiff left = SchemaComparison.compare(snapshotForComparison(database, nameAs), expected);
        if (!left.hasDifferences(false)) {
            return List.of();
        }
        return left.report().stream()
                .map(line -> "after the generated " + what + ": " + line)
                .toList();
    }

    /**
     * Runs a generated script on {@code database} as a migration runs (one transaction, Flyway's
     * search path, placeholders replaced); says why it failed, or returns {@code null}.
     *
     * @param what what to call the script, e.g. {@code migration}
     */
    private String apply(Database database, String what, MigrationScript script) {
        SqlScript parsed = SqlScript.parse(what, script.render());
        try (Connection connection = RevisionScripts.connect(database.dataSource(), settings)) {
            RevisionScripts.run(connection, parsed);
            return null;
        } catch (SqlScript.StatementFailure failure) {
            String error = SqlFailures.describe(failure.sqlException());
            Optional<MigrationScript.Statement> refused = failure.statementKnown()
                    ? script.statementAt(failure.statement().line())
                    : Optional.empty();
            if (refused.isPresent() && refused.get().isKnownLimit()) {
                return KNOWN_LIMIT
                        + refused.get().warning().substring(MigrationScript.KNOWN_LIMIT.length())
                        + " (on a throwaway database the " + what + " fails " + failure.where() + ": " + error + ")";
            }
            return "the generated " + what + " fails " + failure.where() + " of it (" + error + ")";
        } catch (SQLException e) {
            return "the generated " + what + " could not be tried (" + SqlFailures.describe(e) + ")";
        }
    }

    /** Whether a line of {@link #prove} names a known limit rather than a script that went wrong. */
    public static boolean isKnownLimit(String line) {
        return line.startsWith(KNOWN_LIMIT);
    }

    /**
     * The history tables, left out of every snapshot: this plugin's, and Alembic's
     * {@code alembic_version}, which an adopted database keeps for the old tooling (db-baseline).
     */
    private Set<String> historyTable() {
        String schema = settings.schemas().get(0);
        return Set.of(schema + "." + settings.table(), schema + "." + Adoption.ALEMBIC_TABLE);
    }

    /**
     * Runs {@code first} here and {@code second} on another thread at once (two databases build in
     * about the time of one); the first failure, in that order, is thrown.
     */
    public static <A, B> Pair<A, B> both(Callable<A> first, Callable<B> second) {
        Background<B> other = Background.start("bemserver-build", "a throwaway database to be built", second);
        A a;
        try {
            a = first.call();
        } catch (Exception e) {
            other.cancel();
            throw Background.unchecked(e);
        }
        return new Pair<>(a, other.join());
    }

    /** Two results. */
    public record Pair<A, B>(A first, B second) {}
}
