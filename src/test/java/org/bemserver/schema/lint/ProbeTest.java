package org.bemserver.schema.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bemserver.testing.EngineTest;
import org.junit.jupiter.api.Test;

/**
 * db-lint starts each revision from the reading taken after the last statement of the revision
 * before it, and reads only the tables that revision created: that reading must be the one a full
 * look at the catalog gives, on a real PostgreSQL.
 */
class ProbeTest extends EngineTest {

    /** {@code app} exists once {@code other} is renamed to it. */
    private static final List<String> SCHEMAS = List.of("public", "app");

    /** A statement run after the revision's last reading, not read. */
    private static final String UNREAD = "-- unread\n";

    /** Revisions run one after another on one session, as db-lint runs them. */
    private static final List<List<String>> REVISIONS = List.of(
            List.of(
                    "CREATE SCHEMA other",
                    "CREATE SCHEMA outside",
                    "CREATE TABLE other.archive (id int)",
                    "CREATE TABLE other.old (id int)",
                    "CREATE TYPE other.mood AS ENUM ('ok')",
                    "CREATE TYPE kind AS ENUM ('a', 'b')",
                    "CREATE TABLE sites (id serial PRIMARY KEY, name varchar(80) NOT NULL, kind kind, mood other.mood)",
                    "CREATE TABLE campaigns (id serial PRIMARY KEY, name text)",
                    "CREATE TABLE zones (id int, label text DEFAULT 'z')",
                    "CREATE TABLE nothing ()",
                    "CREATE MATERIALIZED VIEW site_names AS SELECT name FROM sites",
                    "CREATE TABLE copies AS SELECT id FROM zones",
                    // creates a table when the transaction commits
                    "CREATE TABLE inbox (id int)",
                    "CREATE FUNCTION made() RETURNS trigger LANGUAGE plpgsql AS "
                            + "$$ BEGIN CREATE TABLE IF NOT EXISTS made_at_commit (id int); RETURN NULL; END $$",
                    "CREATE CONSTRAINT TRIGGER inbox_made AFTER INSERT ON inbox DEFERRABLE INITIALLY DEFERRED "
                            + "FOR EACH ROW EXECUTE FUNCTION made()"),
            // altered, renamed, rewritten, scanned, created, dropped
            List.of(
                    "ALTER TABLE sites ADD COLUMN code text",
                    "ALTER TABLE campaigns RENAME TO campaign",
                    "ALTER TABLE zones ALTER COLUMN id TYPE bigint",
                    "SELECT count(*) FROM sites",
                    "CREATE TABLE events (id int NOT NULL, at timestamptz)",
                    "DROP TABLE nothing",
                    "REFRESH MATERIALIZED VIEW site_names",
                    "ALTER TABLE other.archive SET SCHEMA public",
                    "INSERT INTO inbox VALUES (1)"),
            // the names of types change, not the columns: a type renamed (without a lock on the
            // tables that use it), and the search path (format_type qualifies what it cannot see)
            List.of("ALTER TYPE kind RENAME TO kind_old", "SET search_path = public, other", "SELECT 1"),
            // outside a transaction
            List.of("CREATE INDEX CONCURRENTLY ix_events_at ON events (at)"),
            List.of(
                    "ALTER TABLE events RENAME COLUMN at TO happened_at",
                    "ALTER TABLE sites ALTER COLUMN kind TYPE text",
                    "CREATE TABLE later (id int)",
                    // the tables of a schema renamed are renamed, without a lock on them
                    "ALTER SCHEMA other RENAME TO app",
                    "ALTER TABLE copies SET SCHEMA outside"),
            // what a revision does after its last reading (a deferred trigger at its commit): a
            // table rewritten and one renamed are carried with their old file and name, and read again
            List.of(
                    "ALTER TABLE later ADD COLUMN note text",
                    UNREAD + "ALTER TABLE zones ALTER COLUMN label TYPE varchar(9)",
                    UNREAD + "ALTER TABLE later RENAME TO latest"),
            List.of("SELECT 1"));

    @Test
    void theReadingCarriedFromTheRevisionBeforeIsTheOneAFullReadingGives() throws SQLException {
        try (Connection connection = database.connect()) {
            Probe.Reading last = null;
            // what the revision before left, as db-lint carries it: its probe, last reading and locks
            Probe.Carried left = null;
            List<Probe.Reading> starts = new ArrayList<>();
            // the first reading taken in the round trip of the commit before, or null
            Probe.Start committed = null;
            int committedCount = 0;
            FirstReading.prepare(connection, SCHEMAS);
            for (int index = 0; index < REVISIONS.size(); index++) {
                List<String> revision = REVISIONS.get(index);
                boolean transactional = inTransaction(revision);
                connection.setAutoCommit(!transactional);
                Probe.Start carried = Probe.start(connection, SCHEMAS, last);
                Probe.Start stepped = Probe.next(connection, SCHEMAS, left);
                Probe.Start fresh = Probe.start(connection, SCHEMAS, null);
                List<Probe.Start> compared =
                        committed == null ? List.of(carried, stepped) : List.of(carried, stepped, committed);
                committedCount += committed == null ? 0 : 1;
                for (Probe.Start start : compared) {
                    // the same tables in the same order: findings come in that order
                    assertThat(start.probe().tables())
                            .containsExactlyEntriesOf(fresh.probe().tables());
                    assertThat(start.reading()).isEqualTo(fresh.reading());
                    // the kinds carried hold every column value: the next first reading names their types
                    assertKindsHoldEveryColumn(start.reading());
                    // the columns in the same order too: findings on one table come in that order
                    fresh.reading()
                            .columns()
                            .forEach((table, columns) -> assertThat(
                                            start.reading().columns().get(table))
                                    .containsExactlyEntriesOf(columns));
                }
                // and the first reading is the one read(connection) gives, every table read
                assertThat(fresh.probe().read(connection)).isEqualTo(fresh.reading());
                starts.add(stepped.reading());
                Probe.Reading previous = stepped.reading();
                for (String sql : revision) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(sql);
                    }
                    if (!sql.startsWith(UNREAD)) {
                        previous = stepped.probe().read(connection, transactional ? previous : null);
                        assertKindsHoldEveryColumn(previous);
                    }
                }
                Set<Long> locked = null;
                committed = null;
                if (transactional) {
                    // the next revision's first reading in the round trip of the commit, as db-lint takes it
                    boolean nextInTransaction = index + 1 < REVISIONS.size() && inTransaction(REVISIONS.get(index + 1));
                    FirstReading.Committed commit = Probe.commit(
                            connection,
                            SCHEMAS,
                            nextInTransaction ? new Probe.Carried(stepped.probe(), previous, null) : null);
                    locked = commit.locked();
                    committed = commit.next();
                    assertThat(committed != null).isEqualTo(nextInTransaction);
                    if (committed == null) {
                        connection.setAutoCommit(true);
                        // the session's scan counts, kept over its transactions, flushed as it waits:
                        // the next first reading finds them gone down
                        try (Statement flush = connection.createStatement()) {
                            flush.execute("SELECT pg_catalog.pg_stat_force_next_flush()");
                        }
                    }
                }
                last = previous;
                left = new Probe.Carried(stepped.probe(), previous, locked);
            }
            // revisions 1, 2, 5 and 6 began in the round trip of the commit before them
            assertThat(committedCount).isEqualTo(4);
            // revision 1's scan of sites counts still as revision 2 begins, and no more once flushed
            assertThat(starts.get(2).scans()).isNotEmpty();
            assertThat(starts.get(3).scans()).isEmpty();
            // what the revisions changed was carried: a rename, new tables, the names of types
            assertThat(starts.get(2).names())
                    .containsValues("public.campaign", "public.events", "public.archive", "public.made_at_commit");
            assertThat(starts.get(5).names()).containsValues("public.campaign", "public.events", "public.later");
            assertThat(starts.get(6).names())
                    .containsValues("public.latest", "app.old")
                    .doesNotContainValue("public.copies");
            assertThat(starts.get(6).columns())
                    .anySatisfy((table, columns) ->
                            assertThat(columns).containsEntry("label", "character varying(9)|false|true|1043:13"));
            assertThat(starts.get(2).typeNames()).containsValues("kind", "other.mood");
            assertThat(starts.get(3).typeNames()).containsValues("kind_old", "mood");
        }
    }

    @Test
    void aSchemaNamedAsAPlaceholderOfTheQueryIsReadAsAnyOther() throws SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA \"CARRIED\"; CREATE TABLE \"CARRIED\".t (\"TYPE_IDS\" int)");
            List<String> schemas = List.of("public", "CARRIED", "TYPE_NAMES");
            Probe.Start start = Probe.start(connection, schemas, null);
            assertThat(start.probe().tables()).containsValue("CARRIED.t");
            assertThat(Probe.start(connection, schemas, start.reading()).reading())
                    .isEqualTo(start.reading());
        }
    }

    private static boolean inTransaction(List<String> revision) {
        return revision.stream().noneMatch(sql -> sql.contains("CONCURRENTLY"));
    }

    private static void assertKindsHoldEveryColumn(Probe.Reading reading) {
        reading.columns()
                .values()
                .forEach(columns -> assertThat(reading.kinds()).containsAll(columns.values()));
    }
}
