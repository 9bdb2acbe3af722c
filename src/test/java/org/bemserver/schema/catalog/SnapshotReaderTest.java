package org.bemserver.schema.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.migrate.MigrationSettings;
import org.bemserver.schema.migrate.Migrations;
import org.bemserver.testing.EngineTest;
import org.bemserver.testing.Scripts;
import org.junit.jupiter.api.Test;

class SnapshotReaderTest extends EngineTest {

    private static final List<String> REFERENCES = List.of("ts_props", "ts_data_states", "event_categs", "energies",
            "ener_end_uses", "ener_prod_techs");

    private void bemserverCoreAtHead() throws Exception {
        Scripts scripts = new Scripts(project.resolve("migrations"));
        scripts.copyAll(Path.of(getClass().getResource("/corpus/bemserver-core/db/migration").toURI()));
        new Migrations(database.dataSource(), new MigrationSettings(project, List.of(scripts.directory().toString()),
                List.of("public"), "flyway_schema_history", Map.of()), Reporter.silent()).upgrade(null, false);
    }

    private Snapshot onOneConnection() throws SQLException {
        try (Connection connection = database.connect()) {
            return SnapshotReader.read(connection, List.of("public"), Set.of("public.flyway_schema_history"), REFERENCES);
        }
    }

    @Test
    void twoConnectionsSharingOneSnapshotReadWhatOneConnectionReads() throws Exception {
        bemserverCoreAtHead();

        Snapshot parallel = SnapshotReader.read(database.dataSource(), List.of("public"),
                Set.of("public.flyway_schema_history"), REFERENCES);

        Snapshot sequential = onOneConnection();
        assertThat(parallel).isEqualTo(sequential);
        assertThat(parallel.objects().keySet()).anyMatch(key -> key.startsWith("CONSTRAINT|"));
        assertThat(parallel.dependencies()).isNotEmpty();
        assertThat(parallel.rows()).hasSize(REFERENCES.size());
    }

    @Test
    void aSnapshotForComparisonHoldsEverythingButTheDependencies() throws Exception {
        bemserverCoreAtHead();
        Snapshot full = onOneConnection();
        Snapshot forComparison;
        try (Connection connection = database.connect()) {
            forComparison = SnapshotReader.readForComparison(connection, List.of("public"),
                    Set.of("public.flyway_schema_history"), REFERENCES);
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
        DataSource late = changingBeforeSecondConnection(database.dataSource(), () -> server.execute(uri.database(),
                "ALTER TABLE public.sites ADD CONSTRAINT sites_late CHECK (id > 0)"));

        Snapshot parallel = SnapshotReader.read(late, List.of("public"), Set.of("public.flyway_schema_history"), REFERENCES);

        assertThat(parallel.objects().keySet()).noneMatch(key -> key.endsWith("|sites_late"));
        assertThat(parallel).isEqualTo(before);
        assertThat(onOneConnection().objects().keySet()).anyMatch(key -> key.endsWith("|sites_late"));
    }

    private static DataSource changingBeforeSecondConnection(DataSource real, Runnable change) {
        AtomicInteger calls = new AtomicInteger();
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && calls.incrementAndGet() == 2) {
                        change.run();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
