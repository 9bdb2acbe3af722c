package org.bemserver.schema.catalog;

/**
 * {@link TrackedSnapshotTest} with each reading scanning only the catalogs the changes since the
 * last one wrote, as the stairway reads them: what it finds is still what a whole reading finds.
 */
class TrackedSnapshotCountedTest extends TrackedSnapshotTest {

    @Override
    boolean countsWrites() {
        return true;
    }
}
