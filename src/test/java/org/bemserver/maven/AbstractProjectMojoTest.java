package org.bemserver.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.bemserver.schema.ConfigurationException;
import org.bemserver.schema.ConnectionException;
import org.bemserver.schema.EnvironmentException;
import org.bemserver.schema.MigrationException;
import org.bemserver.schema.Reporter;
import org.bemserver.schema.SchemaException;
import org.junit.jupiter.api.Test;

/**
 * The one place where engine failures become Maven's: a problem the user fixes in the project is a
 * {@link MojoFailureException} (Maven's BUILD FAILURE for a project problem), a problem of the
 * environment a {@link MojoExecutionException}. And how goals are skipped.
 */
class AbstractProjectMojoTest {

    @Test
    void aConfigurationProblemFailsTheBuild() {
        assertFailure(new ConfigurationException("bemserver.format must be text or json, not 'xml'"));
    }

    @Test
    void aFailingMigrationFailsTheBuild() {
        assertFailure(new MigrationException("Migration 2 - create sites failed: syntax error"));
    }

    @Test
    void aServerThatCannotBeReachedIsAnExecutionError() {
        assertExecutionError(new ConnectionException("Cannot connect to postgresql+psycopg://u:***@localhost:1/db"));
    }

    @Test
    void anEnvironmentProblemIsAnExecutionError() {
        assertExecutionError(new EnvironmentException("Cannot get the embedded PostgreSQL binaries"));
    }

    @Test
    void aSkippedGoalSaysWhichPropertySkippedItAndDoesNothing() throws Exception {
        Engine mojo = new Engine("db-upgrade", new ConfigurationException("must not run"));
        mojo.skip = true;
        mojo.execute();
        assertThat(mojo.lines).containsExactly("Skipping db-upgrade: bemserver.skip is true");
    }

    @Test
    void eachGoalsOwnSkipIsNamedAfterTheGoal() throws Exception {
        List<String> lines = new ArrayList<>();
        DbUpgradeMojo upgrade = new DbUpgradeMojo(null, execution("db-upgrade"), null, null);
        upgrade.skipUpgrade = true;
        upgrade.setLog(recording(lines));
        upgrade.execute();
        DbCheckMojo check = new DbCheckMojo(null, execution("db-check"), null, null);
        check.skipCheck = true;
        check.setLog(recording(lines));
        check.execute();
        assertThat(lines)
                .containsExactly(
                        "Skipping db-upgrade: bemserver.upgrade.skip is true",
                        "Skipping db-check: bemserver.check.skip is true");
    }

    @Test
    void aDocumentIsPrintedAfterTheFilesItNamesAndOnlyWhenTheyWereWritten() {
        Engine mojo = new Engine("db-drift", null);
        mojo.finishThenPrint(() -> mojo.lines.add("files written"), () -> "{}");
        assertThat(mojo.lines).containsExactly("files written", "printed {}");

        // drift or lint errors fail the build after the files are written: the document says what
        mojo.lines.clear();
        MigrationException found = new MigrationException("Drift found");
        Throwable thrown = catchThrowable(() -> mojo.finishThenPrint(
                () -> {
                    mojo.lines.add("files written");
                    throw found;
                },
                () -> "{}"));
        assertThat(thrown).isSameAs(found);
        assertThat(mojo.lines).containsExactly("files written", "printed {}");

        // a report that could not be written: no document naming it
        mojo.lines.clear();
        EnvironmentException unwritable = new EnvironmentException("Cannot write the drift report");
        thrown = catchThrowable(() -> mojo.finishThenPrint(
                () -> {
                    throw unwritable;
                },
                () -> "{}"));
        assertThat(thrown).isSameAs(unwritable);
        assertThat(mojo.lines).isEmpty();

        mojo.finishThenPrint(() -> mojo.lines.add("files written"), null);
        assertThat(mojo.lines).containsExactly("files written");
    }

    private static void assertFailure(SchemaException problem) {
        Throwable thrown = catchThrowable(() -> new Engine("db-upgrade", problem).execute());
        assertThat(thrown).isExactlyInstanceOf(MojoFailureException.class).hasMessage(problem.getMessage());
        assertThat(thrown.getCause()).isSameAs(problem);
    }

    private static void assertExecutionError(SchemaException problem) {
        Throwable thrown = catchThrowable(() -> new Engine("db-upgrade", problem).execute());
        assertThat(thrown).isExactlyInstanceOf(MojoExecutionException.class).hasMessage(problem.getMessage());
        assertThat(thrown.getCause()).isSameAs(problem);
    }

    private static MojoExecution execution(String goal) {
        MojoDescriptor descriptor = new MojoDescriptor();
        descriptor.setGoal(goal);
        return new MojoExecution(descriptor);
    }

    private static SystemStreamLog recording(List<String> lines) {
        return new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }
        };
    }

    /** A goal whose engine call fails with the given problem. */
    private static final class Engine extends AbstractProjectMojo {

        private final SchemaException problem;
        private final List<String> lines = new ArrayList<>();

        Engine(String goal, SchemaException problem) {
            super(null, execution(goal), null);
            this.problem = problem;
            setLog(recording(lines));
        }

        @Override
        protected void run(Reporter reporter) {
            throw problem;
        }

        @Override
        protected void printDocument(String document) {
            lines.add("printed " + document);
        }
    }
}
