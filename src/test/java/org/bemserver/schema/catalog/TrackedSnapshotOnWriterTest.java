package org.bemserver.schema.catalog;

/** {@link TrackedSnapshotTest} with the snapshots read on the connection that runs the changes. */
class TrackedSnapshotOnWriterTest extends TrackedSnapshotTest {

    @Override
    boolean readsOnItsOwnConnection() {
        return false;
    }
}
