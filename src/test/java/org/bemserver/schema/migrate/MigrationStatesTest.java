package org.bemserver.schema.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;

/** What Flyway's states mean to the user, without a database: lines as Flyway's info would list them. */
class MigrationStatesTest {

    private static Migration line(String version, String description, MigrationState state) {
        return line(version, description, state, Migration.Kind.SQL, 1, 1, description);
    }

    private static Migration line(
            String version,
            String description,
            MigrationState state,
            Migration.Kind kind,
            Integer onDisk,
            Integer recorded,
            String recordedDescription) {
        String script = (version == null ? "R" : "V" + version) + "__" + description.replace(' ', '_') + ".sql";
        return new Migration(
                version == null ? null : Version.of(version),
                description,
                script,
                state,
                kind,
                recorded != null ? recorded : onDisk,
                onDisk,
                recorded,
                onDisk == null || recorded == null || onDisk.equals(recorded),
                description,
                recordedDescription,
                recordedDescription == null || recordedDescription.equals(description),
                "/project/" + script,
                null,
                null,
                null);
    }

    @Test
    void theStatusNamesTheNewestAppliedRevisionTheHeadAndWhatIsPending() {
        RevisionStatus status = MigrationStates.status(List.of(
                line(null, "create schemas", MigrationState.SUCCESS, Migration.Kind.SCHEMA, null, null, null),
                line("1", "create sites", MigrationState.SUCCESS),
                line("2", "add timezone", MigrationState.SUCCESS),
                line("3", "add area", MigrationState.PENDING),
                line(null, "site names", MigrationState.PENDING)));

        assertThat(status.toText()).isEqualTo("Current revision: 2 (2 pending: 3, repeatable site names)");
        assertThat(status.known()).containsExactly("1", "2", "3");
        assertThat(status.head()).isEqualTo("3");
        assertThat(status.problems()).isEmpty();
    }

    @Test
    void aRevisionAboveTheTargetIsStillPending() {
        RevisionStatus status = MigrationStates.status(List.of(
                line("1", "create sites", MigrationState.SUCCESS),
                line("2", "add timezone", MigrationState.ABOVE_TARGET)));

        assertThat(status.pendingRevisions()).containsExactly("2");
    }

    @Test
    void aFailedRowIsAProblemAndNotTheCurrentRevision() {
        RevisionStatus status = MigrationStates.status(List.of(
                line("1", "create sites", MigrationState.SUCCESS), line("2", "index sites", MigrationState.FAILED)));

        assertThat(status.current()).isEqualTo("1");
        assertThat(status.problems())
                .containsExactly("revision 2 (V2__index_sites.sql) is recorded as failed: it ran "
                        + "outside a transaction and stopped half-way; repair the schema by hand, then delete its row from the "
                        + "history table");
    }

    @Test
    void aScriptEditedAfterItWasAppliedIsAProblemNamingBothChecksums() {
        RevisionStatus status = MigrationStates.status(
                List.of(line("1", "create sites", MigrationState.SUCCESS, Migration.Kind.SQL, 5, 7, "create sites")));

        assertThat(status.problems())
                .containsExactly("V1__create_sites.sql was changed after it was applied (checksum 7 "
                        + "recorded, 5 on disk): restore it as it was applied and put the change in a new revision");
    }

    @Test
    void aScriptRenamedAfterItWasAppliedIsAProblemNamingTheRecordedName() {
        RevisionStatus status = MigrationStates.status(List.of(
                line("1", "create sites", MigrationState.OUT_OF_ORDER, Migration.Kind.SQL, 5, 5, "create site")));

        assertThat(status.problems())
                .containsExactly("V1__create_sites.sql was renamed after it was applied (recorded as "
                        + "'create site'): restore its name");
    }

    @Test
    void anAppliedRevisionWithoutItsScriptPutsTheDatabaseAheadAndIsAProblem() {
        RevisionStatus status = MigrationStates.status(List.of(
                line("1", "create sites", MigrationState.SUCCESS),
                line(
                        "2",
                        "add timezone",
                        MigrationState.MISSING_SUCCESS,
                        Migration.Kind.SQL,
                        null,
                        3,
                        "add timezone")));

        assertThat(status.state()).isEqualTo(RevisionStatus.State.AHEAD);
        assertThat(status.problems())
                .containsExactly("revision 2 is recorded as applied but V2__add_timezone.sql is not in "
                        + "bemserver.locations: restore the script");
    }

    @Test
    void aScriptBelowTheCurrentRevisionThatNeverRanIsAProblem() {
        RevisionStatus status = MigrationStates.status(List.of(
                line("1", "create sites", MigrationState.SUCCESS),
                line("1.5", "late", MigrationState.IGNORED),
                line("2", "add timezone", MigrationState.SUCCESS)));

        assertThat(status.problems())
                .containsExactly("V1.5__late.sql (revision 1.5) is older than the database's revision "
                        + "and was never applied: give it a revision above the current one");
    }

    @Test
    void aBaselineIsNotARevisionOfTheProject() {
        RevisionStatus status = MigrationStates.status(List.of(
                line("1", "baseline", MigrationState.SUCCESS, Migration.Kind.BASELINE, 1, 1, "baseline"),
                line("2", "add timezone", MigrationState.PENDING)));

        assertThat(status.known()).containsExactly("2");
        assertThat(status.current()).isEqualTo("1");
    }

    @Test
    void theProblemsOfTheFilesComeFirst() {
        RevisionStatus status = MigrationStates.withProblems(
                List.of("a.sql is not a migration"),
                MigrationStates.status(List.of(line("1", "index sites", MigrationState.FAILED))));

        assertThat(status.problems()).hasSize(2).first().isEqualTo("a.sql is not a migration");
    }

    @Test
    void oneProblemAndSeveralProblemsReadDifferently() {
        assertThat(MigrationStates.problemsMessage(List.of("a")))
                .isEqualTo("The migrations do not match the database: a");
        assertThat(MigrationStates.problemsMessage(List.of("a", "b")))
                .isEqualTo("2 problems between the migrations and the database: a; b");
    }

    @Test
    void theHistoryNamesStatesInTheUsersWordsAndLeavesOutTheSchemaRow() {
        List<HistoryEntry> history = MigrationStates.history(List.of(
                line(null, "create schemas", MigrationState.SUCCESS, Migration.Kind.SCHEMA, null, null, null),
                line("1", "create sites", MigrationState.OUT_OF_ORDER),
                line("2", "add timezone", MigrationState.MISSING_FAILED),
                line("3", "add area", MigrationState.ABOVE_TARGET),
                line("4", "from elsewhere", MigrationState.FUTURE_SUCCESS),
                line(null, "site names", MigrationState.OUTDATED)));

        assertThat(history)
                .extracting(HistoryEntry::state)
                .containsExactly("applied", "failed", "pending", "future", "outdated");
        assertThat(MigrationStates.stateName(MigrationState.MISSING_SUCCESS)).isEqualTo("missing");
    }

    @Test
    void aPlanToATargetStopsThereAndLeavesTheRepeatableScriptsForHead() {
        List<Migration> all = List.of(
                line("1", "create sites", MigrationState.SUCCESS),
                line("2", "add timezone", MigrationState.PENDING),
                line("3", "add area", MigrationState.PENDING),
                line(null, "site names", MigrationState.PENDING));

        assertThat(MigrationStates.plan(all, Version.of("2")))
                .extracting(Migration::id)
                .containsExactly("2");
        assertThat(MigrationStates.plan(all, null))
                .extracting(Migration::script)
                .containsExactly("V2__add_timezone.sql", "V3__add_area.sql", "R__site_names.sql");
    }

    @Test
    void theStampAtHeadHasOneEntryPerScriptAndTheNewestRevision() {
        Stamp stamp = MigrationStates.stampAtHead(
                List.of(
                        line("1", "create sites", MigrationState.SUCCESS),
                        line("2", "add timezone", MigrationState.PENDING),
                        line(null, "site names", MigrationState.OUTDATED, Migration.Kind.SQL, 9, 8, "site names"),
                        line(null, "site names", MigrationState.PENDING, Migration.Kind.SQL, 9, null, "site names")),
                new HistoryTable("public", "flyway_schema_history"));

        assertThat(stamp.head()).isEqualTo("2");
        assertThat(stamp.size()).isEqualTo(3);
    }
}
