package org.bemserver.schema.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.Scripts;
import org.junit.jupiter.api.Test;

class SnapshotReaderTest extends EngineTest {

    private static final List<String> REFERENCES =
            List.of("ts_props", "ts_data_states", "event_categs", "energies", "ener_end_uses", "ener_prod_techs");

    private void bemserverCoreAtHead() throws Exception {
        Scripts scripts = new Scripts(project.resolve("migrations"));
        scripts.copyAll(Path.of(
                getClass().getResource("/corpus/bemserver-core/db/migration").toURI()));
        new Migrations(
                        database.dataSource(),
                        new MigrationSettings(
                                project,
                                List.of(scripts.directory().toString()),
                                List.of("public"),
                                "flyway_schema_history",
                                Map.of()),
                        Reporter.silent())
                .upgrade(null, false);
    }

    private Snapshot onOneConnection() throws SQLException {
        try (Connection connection = database.connect()) {
            return SnapshotReader.read(
                    connection, List.of("public"), Set.of("public.flyway_schema_history"), REFERENCES);
        }
    }

    @Test
    void twoConnectionsSharingOneSnapshotReadWhatOneConnectionReads() throws Exception {
        bemserverCoreAtHead();
        Watched watched = watch(database.dataSource(), () -> {});

        Snapshot parallel = SnapshotReader.read(
                watched.dataSource(), List.of("public"), Set.of("public.flyway_schema_history"), REFERENCES);
        Snapshot forComparison = SnapshotReader.readForComparison(
                watched.dataSource(), List.of("public"), Set.of("public.flyway_schema_history"), REFERENCES);

        assertThat(watched.connections())
                .as("connections opened by the two readings")
                .hasValue(4);
        Snapshot sequential = onOneConnection();
        assertThat(parallel).isEqualTo(sequential);
        assertThat(parallel.objects().keySet()).anyMatch(key -> key.startsWith("CONSTRAINT|"));
        assertThat(parallel.dependencies()).isNotEmpty();
        assertThat(parallel.rows()).hasSize(REFERENCES.size());
        assertThat(forComparison.objects()).isEqualTo(sequential.objects());
        assertThat(forComparison.dependencies()).isEmpty();
    }

    @Test
    void aSnapshotForComparisonHoldsEverythingButTheDependencies() throws Exception {
        bemserverCoreAtHead();
        Snapshot full = onOneConnection();
        Snapshot forComparison;
        try (Connection connection = database.connect()) {
            forComparison = SnapshotReader.readForComparison(
                    connection, List.of("public"), Set.of("public.flyway_schema_history"), REFERENCES);
            // the connection is left as it was found, ready for the next script
            assertThat(connection.getAutoCommit()).isTrue();
        }
        assertThat(forComparison.objects()).isEqualTo(full.objects());
        assertThat(forComparison.columnOrder()).isEqualTo(full.columnOrder());
        assertThat(forComparison.rows()).isEqualTo(full.rows());
        assertThat(full.dependencies()).isNotEmpty();
        assertThat(forComparison.dependencies()).isEmpty();
    }

    @Test
    void theSecondConnectionSeesTheSnapshotOfTheFirstNotLaterChanges() throws Exception {
        bemserverCoreAtHead();
        Snapshot before = onOneConnection();
        // a reader that opens its second connection only after a change committed by someone else
        DataSource late = watch(
                        database.dataSource(),
                        () -> server.execute(
                                uri.database(), "ALTER TABLE public.sites ADD CONSTRAINT sites_late CHECK (id > 0)"))
                .dataSource();

        Snapshot parallel =
                SnapshotReader.read(late, List.of("public"), Set.of("public.flyway_schema_history"), REFERENCES);

        assertThat(parallel.objects().keySet()).noneMatch(key -> key.endsWith("|sites_late"));
        assertThat(parallel).isEqualTo(before);
        assertThat(onOneConnection().objects().keySet())
                .as("the change, made when the second connection opened")
                .anyMatch(key -> key.endsWith("|sites_late"));
    }

    @Test
    void aSecondConnectionThatCannotBeOpenedFailsTheReadingAndSaysWhy() {
        DataSource full = watch(database.dataSource(), () -> {
                    throw new SQLException("sorry, too many clients already", "53300");
                })
                .dataSource();

        assertThatThrownBy(() -> SnapshotReader.read(full, List.of("public"), Set.of(), List.of()))
                .isInstanceOf(EnvironmentException.class)
                .hasMessage("Cannot read the catalog on a second connection: sorry, too many clients already"
                        + " (SQL state 53300)");
    }

    @Test
    void anIdentityColumnCarriesTheOptionsOfItsSequenceThatAreNotTheDefaults() throws Exception {
        server.execute(
                uri.database(),
                "SET ROLE " + org.bemserver.testing.TestServer.OWNER + ";"
                        + "CREATE TABLE t (plain int GENERATED ALWAYS AS IDENTITY,"
                        + " down smallint GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY -1),"
                        + " tuned bigint GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 5 MINVALUE 3 MAXVALUE 1000 START WITH 10"
                        + " CACHE 20 CYCLE));");

        Snapshot snapshot = onOneConnection();

        assertThat(snapshot.objects().get("COLUMN|public|t|plain").properties())
                .containsEntry("identity", "always")
                .doesNotContainKey("identity options");
        assertThat(snapshot.objects().get("COLUMN|public|t|down").properties())
                .containsEntry("identity options", "INCREMENT BY -1");
        assertThat(snapshot.objects().get("COLUMN|public|t|tuned").properties())
                .containsEntry(
                        "identity options", "INCREMENT BY 5 MINVALUE 3 MAXVALUE 1000 START WITH 10 CACHE 20 CYCLE");
        assertThat(snapshot.all(Kind.SEQUENCE))
                .as("identity sequences belong to their column")
                .isEmpty();
    }

    @Test
    void aDomainCarriesItsDefaultNotNullAndEachCheckApartFromItsBaseType() throws Exception {
        server.execute(
                uri.database(),
                "SET ROLE " + org.bemserver.testing.TestServer.OWNER + ";"
                        + "CREATE DOMAIN code AS varchar(8) COLLATE \"C\" DEFAULT 'x' NOT NULL CHECK (VALUE <> '');"
                        + "ALTER DOMAIN code ADD CONSTRAINT \"no spaces\" CHECK (VALUE NOT LIKE '% %') NOT VALID;");

        assertThat(onOneConnection().objects().get("TYPE|public|null|code").properties())
                .containsExactly(
                        Map.entry("definition", "character varying(8) COLLATE \"C\""),
                        Map.entry("default", "'x'::character varying"),
                        Map.entry("not null", "yes"),
                        Map.entry("constraint code_check", "CHECK (((VALUE)::text <> ''::text))"),
                        Map.entry("constraint no spaces", "CHECK (((VALUE)::text !~~ '% %'::text)) NOT VALID"));
    }

    @Test
    void privilegesOnRoutinesAndSchemasLeaveOutTheOwnerAndTheDefaults() throws Exception {
        server.execute(
                "postgres", "DO $$ BEGIN CREATE ROLE bem_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        server.execute(
                uri.database(),
                "SET ROLE " + org.bemserver.testing.TestServer.OWNER + ";"
                        + "CREATE FUNCTION open_to_all(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;"
                        + "GRANT EXECUTE ON FUNCTION open_to_all(int) TO PUBLIC;"
                        + "CREATE PROCEDURE closed() LANGUAGE sql AS $$ SELECT 1 $$;"
                        + "REVOKE ALL ON PROCEDURE closed() FROM PUBLIC;"
                        + "GRANT EXECUTE ON PROCEDURE closed() TO bem_reader WITH GRANT OPTION;"
                        + "GRANT CREATE ON SCHEMA public TO bem_reader;");

        Map<String, Map<String, String>> privileges = new TreeMap<>();
        onOneConnection().all(Kind.PRIVILEGE).forEach(p -> privileges.put(p.key(), p.properties()));

        assertThat(privileges)
                .containsOnly(
                        Map.entry("PRIVILEGE|public|closed()|PUBLIC", Map.of("on", "procedure")),
                        Map.entry(
                                "PRIVILEGE|public|closed()|bem_reader",
                                Map.of("granted", "EXECUTE WITH GRANT OPTION", "on", "procedure")),
                        // the owner of the database's public schema lets everyone use it (PostgreSQL 15 and later)
                        Map.entry("PRIVILEGE|null|public|PUBLIC", Map.of("granted", "USAGE", "on", "schema")),
                        Map.entry("PRIVILEGE|null|public|bem_reader", Map.of("granted", "CREATE", "on", "schema")));
    }

    /** Runs before the second connection opens; may refuse it. */
    @FunctionalInterface
    private interface BeforeSecond {
        void run() throws SQLException;
    }

    /** A data source, and how many connections were asked of it. */
    private record Watched(DataSource dataSource, AtomicInteger connections) {}

    /** {@code real}, counting the connections asked of it and running {@code beforeSecond} before the second. */
    private static Watched watch(DataSource real, BeforeSecond beforeSecond) {
        AtomicInteger calls = new AtomicInteger();
        DataSource watched = (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && calls.incrementAndGet() == 2) {
                        beforeSecond.run();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new Watched(watched, calls);
    }
}
