package org.bemserver.testing;

import java.nio.file.Path;
import java.time.Duration;
import org.bemserver.schema.connect.Database;
import org.bemserver.schema.connect.DatabaseUri;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine test: a fresh database on the shared test server for each test (named after it),
 * opened as its owner, a project directory of its own, and a reporter that records every line.
 */
public abstract class EngineTest {

    protected final TestServer server = TestServer.shared();
    protected final RecordingReporter reporter = new RecordingReporter();

    @TempDir
    protected Path project;

    protected DatabaseUri uri;
    protected Database database;

    @BeforeEach
    void freshDatabase(TestInfo test) {
        uri = server.createDatabase(test.getTestMethod().orElseThrow().getName());
        database = Database.open(uri, "SQLALCHEMY_DATABASE_URI", Duration.ofSeconds(10));
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
