package org.bemserver.schema.lint;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bemserver.schema.Background;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.check.ProjectBuilds;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseMessages;
import org.bemserver.schema.connect.Throwaway;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.schema.migrate.Revision;
import org.bemserver.schema.migrate.RevisionScripts;
import org.bemserver.schema.migrate.RevisionStatus;
import org.bemserver.schema.migrate.SqlFailures;
import org.bemserver.schema.migrate.SqlScript;
import org.postgresql.core.BaseConnection;

/**
 * {@code db-lint}: runs each new revision on a throwaway database, statement by statement as
 * db-upgrade runs it, and measures after each statement what it did to the tables that existed
 * before the revision ({@link Probe}): the locks it took, a rewrite, a full scan, the columns it
 * changed. {@link Rules} turn the measurements into findings with the safe alternative. The
 * project's own database, when given, is only read: which revisions are pending, and how large
 * the tables of the findings are there.
 */
public final class Lint {

    /** {@code -- lint:ignore <reason>} on a comment line right before a statement. */
    private static final Pattern IGNORE = Pattern.compile("^--\\s*lint:ignore\\b(.*)$");

    private final ProjectBuilds builds;
    private final String lockTimeout;
    private final Reporter reporter;

    /**
     * @param lockTimeout {@code bemserver.lockTimeout}, set on the session as db-upgrade sets it, or {@code null}
     */
    public Lint(ProjectBuilds builds, String lockTimeout, Reporter reporter) {
        this.builds = builds;
        this.lockTimeout = lockTimeout;
        this.reporter = reporter;
    }

    /**
     * The revisions to lint, oldest first: those above {@code since}; else those {@code pending} on
     * the project's database (when one is given); else the newest.
     */
    static List<String> select(List<String> known, String since, List<String> pending) {
        if (since != null && !since.isBlank()) {
            String from = since.strip();
            if (!from.equals("base") && !known.contains(from)) {
                throw new ConfigurationException("Unknown revision " + from + " (bemserver.since): this project's "
                        + "revisions are " + (known.isEmpty() ? "none" : RevisionStatus.shorten(known)) + ", or base");
            }
            return known.stream()
                    .filter(id -> from.equals("base") || Revision.compare(id, from) > 0)
                    .toList();
        }
        if (pending != null) {
            return known.stream().filter(pending::contains).toList();
        }
        return known.isEmpty() ? List.of() : List.of(known.get(known.size() - 1));
    }

    /** The live size and row estimate of each table of {@code schemas}, read-only: {@code 48 GB, 310 M rows}. */
    public static Map<String, String> liveSizes(Database live, List<String> schemas) {
        Map<String, String> sizes = new HashMap<>();
        try (Connection connection = live.connect();
                PreparedStatement query = connection.prepareStatement("SELECT n.nspname || '.' || c.relname, "
                        + "pg_catalog.pg_size_pretty(pg_catalog.pg_total_relation_size(c.oid)), "
                        + "greatest(c.reltuples, 0)::int8 FROM pg_catalog.pg_class c "
                        + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname = ANY (?::text[])")) {
            query.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    sizes.put(result.getString(1), result.getString(2) + ", " + rows(result.getLong(3)));
                }
            }
        } catch (SQLException e) {
            throw new EnvironmentException(
                    "Cannot read the sizes of the tables (" + SqlFailures.describe(e) + "): check the database", e);
        }
        return sizes;
    }

    private static String rows(long rows) {
        if (rows >= 1_000_000) {
            return Math.round(rows / 1_000_000.0) + " M rows";
        }
        if (rows >= 1_000) {
            return Math.round(rows / 1_000.0) + " k rows";
        }
        return rows + (rows == 1 ? " row" : " rows");
    }

    /**
     * Lints the revisions {@link #select} chooses on a database of {@code throwaway}.
     *
     * @param pending the revisions pending on the project's database, or {@code null} when none is given
     * @param sizes the live sizes of its tables ({@link #liveSizes}), or empty
     */
    public LintResult run(Throwaway throwaway, String since, List<String> pending, Map<String, String> sizes) {
        // the throwaway database is created while the scripts are read and split (their session
        // placeholders, when a script uses them, wait for it)
        Background<Database> creating = Background.start(
                "bemserver-lint", "the throwaway database to be created", () -> throwaway.create("lint"));
        Migrations migrations = builds.migrations(Database.awaiting(creating::join), Reporter.quiet(reporter));
        List<RevisionScripts.Pair> pairs;
        try {
            pairs = RevisionScripts.read(migrations, false); // no undo is linted
        } catch (RuntimeException | Error e) {
            creating.cancel(); // created or not before the throwaway is closed, which drops it
            throw e;
        }
        Database database = creating.join();
        List<String> known = pairs.stream().map(p -> p.revision().id()).toList();
        List<String> linted = select(known, since, pending);
        if (linted.isEmpty()) {
            return new LintResult(List.of());
        }
        // a revision db-upgrade refuses as written (Flyway would run it in the wrong transaction) is
        // not linted: the refusal is the finding
        List<String> refused = pairs.stream()
                .filter(pair -> linted.contains(pair.revision().id()))
                .map(pair -> pair.migration().migrationProblem(builds.settings().mixed()))
                .filter(Objects::nonNull)
                .toList();
        if (!refused.isEmpty()) {
            throw new MigrationException("db-lint does not run what db-upgrade refuses: " + String.join("; ", refused));
        }
        int first = known.indexOf(linted.get(0));
        if (first > 0) {
            String base = known.get(first - 1);
            try {
                migrations.upgrade(base, false);
            } catch (MigrationException e) {
                throw new MigrationException(
                        "Building revision " + base + " on a throwaway database failed: " + e.getMessage(), e);
            }
            reporter.info("Built revision " + base + " on a throwaway database");
        }
        List<LintResult.RevisionLint> revisions = new ArrayList<>();
        long loopStart = System.nanoTime();
        long cpuStart = threadCpu();
        try (Connection connection = RevisionScripts.connect(database.dataSource(), builds.settings())) {
            // pgjdbc forgets its server-side prepared statements at each CREATE, ALTER or DROP
            // (flushCacheOnDdl: a statement whose result a DDL changed would fail): the readings,
            // which read the catalog only, were parsed and planned again after each statement
            connection.unwrap(BaseConnection.class).getQueryExecutor().setFlushCacheOnDdl(false);
            // the reading after a statement, sent in its round trip, and the first reading of a
            // revision, sent in the round trip of the commit before it: each planned once
            Probe.prepare(connection);
            FirstReading.prepare(connection, builds.settings().schemas());
            if (lockTimeout != null) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET lock_timeout = '" + lockTimeout.replace("'", "''") + "'");
                }
            }
            // what each revision leaves (the reading after its last statement, the relations it
            // locked) spares the next one's first reading most of its work
            Probe.Carried last = null;
            Probe.Start started = null;
            List<RevisionScripts.Pair> runs = pairs.subList(first, pairs.size()).stream()
                    .filter(pair -> linted.contains(pair.revision().id()))
                    .toList();
            for (int i = 0; i < runs.size(); i++) {
                // the next revision's transaction begins in the round trip of this one's commit
                boolean nextInTransaction =
                        i + 1 < runs.size() && runs.get(i + 1).migration().runsInTransaction();
                Linted revision;
                try {
                    revision = revision(connection, runs.get(i), sizes, last, started, nextInTransaction, true);
                } catch (Retry failed) {
                    // rolled back to where the revision began, unless the commit was done and what
                    // failed came after it (the next first reading)
                    if (FirstReading.committed(
                            connection, runs.get(i).revision().script())) {
                        throw (SQLException) failed.getCause();
                    }
                    revision = revision(connection, runs.get(i), sizes, last, null, nextInTransaction, false);
                }
                revisions.add(revision.lint());
                last = revision.last();
                started = revision.next();
            }
        } catch (SQLException e) {
            throw new EnvironmentException(
                    "Database error on the throwaway database (" + DatabaseMessages.of(e) + "): run db-lint again", e);
        }
        // where the loop's time went: the client's CPU, the rest waiting for the server (mvn -X)
        reporter.debug(String.format(
                Locale.ROOT,
                "Linted %d revisions in %.2f s (the client's CPU: %.2f s)",
                revisions.size(),
                (System.nanoTime() - loopStart) / 1e9,
                (threadCpu() - cpuStart) / 1e9));
        return new LintResult(revisions);
    }

    /** This thread's CPU time in nanoseconds, or 0 where the JVM does not measure it. */
    private static long threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
    }

    /**
     * A revision linted, what it leaves the next one, and the next one's first reading when it was
     * taken in the round trip of this one's commit (its transaction begun), or {@code null}.
     */
    private record Linted(LintResult.RevisionLint lint, Probe.Carried last, Probe.Start next) {}

    /**
     * The round trip of a revision's last statement and its commit failed: which of the two failed
     * is told by running the revision again, the commit in a round trip of its own.
     */
    private static final class Retry extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Retry(SQLException cause) {
            super(cause);
        }
    }

    /**
     * Runs one revision statement by statement, measuring around each.
     *
     * @param last what the revision linted before on this connection left, or {@code null}
     * @param started this revision's first reading, taken in the round trip of the last commit, or {@code null}
     * @param nextInTransaction whether the next revision runs in a transaction: its first reading
     *     then goes in the round trip of this one's commit
     * @param withLast whether the commit may go in the round trip of the last statement
     * @throws Retry that round trip failed: the statement or the commit, to be told apart
     */
    private Linted revision(
            Connection connection,
            RevisionScripts.Pair pair,
            Map<String, String> sizes,
            Probe.Carried last,
            Probe.Start started,
            boolean nextInTransaction,
            boolean withLast)
            throws SQLException {
        SqlScript script = pair.migration();
        List<String> lines = pair.migrationText().lines().toList();
        boolean transactional = script.runsInTransaction();
        connection.setAutoCommit(!transactional);
        List<String> schemas = builds.settings().schemas();
        Probe.Start before = started != null ? started : Probe.next(connection, schemas, last);
        Probe probe = before.probe();
        // by name, as the probe lists them: findings come in the same order from run to run; a
        // table is labelled with its live size when a finding names it, not each of 500 per revision
        Map<Long, String> tables = probe.tables();
        List<LintResult.StatementLint> statements = new ArrayList<>();
        Probe.Reading previous = before.reading();
        // with no table before the revision there is nothing to read (pg_locks lists every lock of
        // the transaction: after each of the 4,000 statements that create 1,000 tables, it read
        // thousands of locks on tables nobody uses yet)
        // outside a transaction the scans are counted with those flushed (PostgreSQL 15 and later),
        // from a reading of that kind before the first statement
        boolean totals = !transactional && !tables.isEmpty() && countsFlushedScans(connection);
        if (totals) {
            previous = probe.readOutside(connection);
        }
        Runner runner = new Runner(connection, probe, transactional, tables.isEmpty(), totals);
        List<SqlScript.Statement> all = script.statements();
        // the relations locked at the commit are all the revision changed only when nothing in
        // it ended the transaction before (a COMMIT in the script runs, refused by db-upgrade)
        boolean oneTransaction = all.stream().noneMatch(SqlScript.Statement::isTransactionControl);
        boolean forgets = all.stream().anyMatch(statement -> Probe.forgetsPrepared(statement.words()));
        // what a rollback leaves, which running the revision again (to tell its last statement's
        // failure from its commit's) would find: a statement prepared
        boolean prepares = all.stream().anyMatch(statement -> statement.words().contains("PREPARE"));
        // the commit, and the next revision's first reading, in the round trip of the last
        // statement when it runs alone: one round trip for a revision of one statement
        FirstReading.Tail tail = withLast
                        && !prepares
                        && transactional
                        && oneTransaction
                        && nextInTransaction
                        && !forgets
                        && FirstReading.Tail.possible(probe)
                ? new FirstReading.Tail(schemas, probe, pair.revision().script())
                : null;
        runner.finishWith(tail);
        Probe.Start next = null;
        try {
            for (int index = 0; index < all.size(); ) {
                List<Runner.Ran> runs;
                try {
                    runs = runner.next(all, index, previous);
                } catch (Runner.Refused e) {
                    if (tail != null && tail.sent() && !Probe.lostReading(e.sqlException())) {
                        throw new Retry(e.sqlException()); // the statement's failure, or the commit's
                    }
                    if (Probe.lostReading(e.sqlException())) {
                        throw new MigrationException(
                                pair.revision().script() + " line "
                                        + e.statement().line()
                                        + " deallocates the session's prepared statements (from a function or a DO "
                                        + "block), one of which db-lint measures with: it cannot lint this revision; "
                                        + "db-lint changed nothing on your database",
                                e.sqlException());
                    }
                    throw new MigrationException(
                            pair.revision().script() + " fails at line "
                                    + e.statement().line()
                                    + " on the throwaway database (" + SqlFailures.describe(e.sqlException())
                                    + "): fix the revision; db-lint changed nothing on your database",
                            e.sqlException());
                }
                for (Runner.Ran ran : runs) {
                    previous =
                            statement(all.get(index++), ran, tables, sizes, lines, transactional, totals, statements);
                }
            }
            List<Finding> overall = new ArrayList<>();
            Set<Long> locked = null;
            if (forgets && (tail == null || !tail.sent())) {
                FirstReading.prepare(connection, schemas); // the next first reading's statement, again
            }
            if (transactional) {
                List<String> exclusive = new ArrayList<>();
                for (Map.Entry<Long, TreeSet<String>> held : previous.locks().entrySet()) {
                    if (held.getValue().contains(Rules.ACCESS_EXCLUSIVE) && tables.containsKey(held.getKey())) {
                        exclusive.add(label(tables.get(held.getKey()), sizes));
                    }
                }
                if (exclusive.size() > 1) {
                    exclusive.sort(null);
                    overall.add(new Finding(
                            "many-exclusive-locks",
                            Finding.Level.WARNING,
                            "holds ACCESS EXCLUSIVE on " + exclusive.size() + " existing tables at once ("
                                    + String.join(", ", exclusive) + ") until it commits: every query on any of "
                                    + "them waits, and lock-order deadlocks with the application become possible",
                            "change one existing table per revision"));
                }
                FirstReading.Committed committed;
                if (tail != null && tail.sent()) {
                    committed = tail.committed(connection, previous);
                } else {
                    // the next revision's first reading starts from what this one leaves, when it ran
                    // in one transaction (its locks at the commit are then all it changed)
                    try {
                        committed = Probe.commit(
                                connection,
                                schemas,
                                oneTransaction && nextInTransaction ? new Probe.Carried(probe, previous, null) : null);
                    } catch (SQLException e) {
                        throw new MigrationException(
                                pair.revision().script()
                                        + " fails at its commit on the throwaway database ("
                                        + SqlFailures.describe(e) + "): fix the revision (a deferred constraint "
                                        + "or trigger); db-lint changed nothing on your database",
                                e);
                    }
                }
                locked = oneTransaction ? committed.locked() : null;
                next = committed.next();
            }
            return new Linted(
                    new LintResult.RevisionLint(pair.revision(), statements, overall),
                    new Probe.Carried(probe, previous, locked),
                    next);
        } finally {
            // a transaction begun for the next revision stays; one left by a failure is rolled back
            if (next == null && !connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * What one statement did, from the readings before and after it, added to {@code statements};
     * the reading after it.
     */
    private Probe.Reading statement(
            SqlScript.Statement statement,
            Runner.Ran ran,
            Map<Long, String> tables,
            Map<String, String> sizes,
            List<String> lines,
            boolean transactional,
            boolean totals,
            List<LintResult.StatementLint> statements) {
        Probe.Reading previous = ran.before();
        Probe.Reading now = ran.after();
        Duration time = ran.time();
        // a table whose reading did not move has nothing to say: only the others are looked at
        Map<Long, String> moved = moved(tables, sizes, previous, now, transactional);
        List<Finding> findings =
                new ArrayList<>(Rules.of(statement.words(), moved, previous, now, lockTimeout != null));
        String ignored = ignoreReason(lines, statement.line());
        if (ignored != null && ignored.isEmpty()) {
            findings.add(new Finding(
                    "lint-ignore",
                    Finding.Level.ERROR,
                    "-- lint:ignore without a reason",
                    "say why the statement is safe: -- lint:ignore <reason>, e.g. the table holds 12 rows"));
            ignored = null;
        }
        boolean touches = touchesExisting(moved, previous, now);
        List<String> cleared = touches && findings.stream().noneMatch(f -> f.level() == Finding.Level.ERROR)
                ? Rules.staticFlags(statement.words())
                : List.of();
        statements.add(new LintResult.StatementLint(
                statement.line(),
                statement.summary(),
                transactional ? measured(moved, previous, now) : measuredOutside(moved, previous, now, totals),
                findings,
                ignored,
                cleared,
                time));
        return now;
    }

    private static String label(String name, Map<String, String> sizes) {
        String size = sizes.get(name);
        return size == null ? name : name + " (" + size + ")";
    }

    /**
     * The tables, of {@code tables} and in their order, whose locks, file, name, scans or columns
     * differ between the two readings, each labelled with its live size ({@code sizes}). In a
     * transaction only a table locked in one of them can differ: a reading there reads the tables
     * locked and carries the others as the reading before it has them ({@link Probe#reading}; after
     * a rollback to a savepoint, the reading before is the one taken again). A statement on a long
     * history looks at the few it locked, not at some 500, and walks them in order only when more
     * than one moved.
     */
    private static Map<Long, String> moved(
            Map<Long, String> tables,
            Map<String, String> sizes,
            Probe.Reading before,
            Probe.Reading after,
            boolean transactional) {
        Collection<Long> looked = tables.keySet();
        if (transactional) {
            Set<Long> locked = new HashSet<>(before.locks().keySet());
            locked.addAll(after.locks().keySet());
            locked.retainAll(tables.keySet());
            looked = locked;
        }
        Set<Long> found = new HashSet<>();
        for (Long oid : looked) {
            if (!Objects.equals(before.locks().get(oid), after.locks().get(oid))
                    || !Objects.equals(before.files().get(oid), after.files().get(oid))
                    || !Objects.equals(before.names().get(oid), after.names().get(oid))
                    || !Objects.equals(before.scans().get(oid), after.scans().get(oid))
                    || !Objects.equals(
                            before.columns().get(oid), after.columns().get(oid))) {
                found.add(oid);
            }
        }
        Map<Long, String> moved = new LinkedHashMap<>();
        if (found.size() == 1) {
            Long oid = found.iterator().next();
            moved.put(oid, label(tables.get(oid), sizes));
        } else if (!found.isEmpty()) {
            for (Map.Entry<Long, String> table : tables.entrySet()) {
                if (found.contains(table.getKey())) {
                    moved.put(table.getKey(), label(table.getValue(), sizes));
                }
            }
        }
        return moved;
    }

    /** Whether the statement took a lock on, rewrote or changed a table that existed before the revision. */
    private static boolean touchesExisting(Map<Long, String> tables, Probe.Reading before, Probe.Reading after) {
        for (Long oid : tables.keySet()) {
            if (!after.locks()
                            .getOrDefault(oid, new TreeSet<>())
                            .equals(before.locks().getOrDefault(oid, new TreeSet<>()))
                    || !Objects.equals(after.files().get(oid), before.files().get(oid))
                    || !Objects.equals(
                            after.columns().get(oid), before.columns().get(oid))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a statement outside a transaction did: its rewrites, its scans when they are counted
     * ({@code totals}), and that its locks are gone before a reading can see them.
     */
    private static String measuredOutside(
            Map<Long, String> tables, Probe.Reading before, Probe.Reading after, boolean totals) {
        String outside = "ran outside a transaction, as db-upgrade runs this script: ";
        if (!totals) {
            return outside + "locks and scans are not measured";
        }
        List<String> parts = new ArrayList<>();
        tables.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(table -> {
            if (after.rewritten(before, table.getKey())) {
                parts.add("rewrite of " + table.getValue());
            }
            if (after.scanned(before, table.getKey())) {
                parts.add("full scan of " + table.getValue());
            }
        });
        return (parts.isEmpty()
                        ? "no rewrite or full scan of a table that existed before the revision"
                        : String.join("; ", parts))
                + "; " + outside + "its locks are released before they can be read";
    }

    /** Whether the server keeps a session's scan counts until it flushes them: PostgreSQL 15 and later. */
    private static boolean countsFlushedScans(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseMajorVersion() >= 15;
    }

    /** {@code ACCESS EXCLUSIVE on public.sites; rewrite of public.sites; full scan of public.sites}. */
    private static String measured(Map<Long, String> tables, Probe.Reading before, Probe.Reading after) {
        List<String> parts = new ArrayList<>();
        tables.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(table -> {
            long oid = table.getKey();
            String strongest = Rules.strongest(after.locksAdded(before, oid));
            if (strongest != null) {
                parts.add(Rules.mode(strongest) + " on " + table.getValue());
            }
            if (after.rewritten(before, oid)) {
                parts.add("rewrite of " + table.getValue());
            }
            if (after.scanned(before, oid)) {
                parts.add("full scan of " + table.getValue());
            }
        });
        return parts.isEmpty() ? "no new lock on a table that existed before the revision" : String.join("; ", parts);
    }

    /**
     * The reason of a {@code -- lint:ignore} among the comment lines right above {@code line}
     * (1-based): {@code null} when there is none, empty when it gives no reason.
     */
    static String ignoreReason(List<String> lines, int line) {
        for (int i = line - 2; i >= 0; i--) {
            String text = lines.get(i).strip();
            if (text.isEmpty()) {
                continue;
            }
            if (!text.startsWith("--")) {
                return null;
            }
            Matcher ignore = IGNORE.matcher(text);
            if (ignore.matches()) {
                return ignore.group(1).strip();
            }
        }
        return null;
    }
}
