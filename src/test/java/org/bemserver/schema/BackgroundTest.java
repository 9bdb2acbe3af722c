package org.bemserver.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BackgroundTest {

    @Test
    void allRunsThePiecesAtOnceAndReturnsTheirResultsInOrder() {
        // each piece waits for all three to have started: run in turn, they would never end
        CountDownLatch started = new CountDownLatch(3);
        List<Background.Piece<String>> work = List.of("a", "b", "c").stream()
                .<Background.Piece<String>>map(name -> othersFailed -> {
                    started.countDown();
                    if (!started.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the pieces did not run at once");
                    }
                    return name + "@" + Thread.currentThread().getName();
                })
                .toList();

        List<String> results = Background.all("piece", "pieces", work);

        assertThat(results).containsExactly("a@" + Thread.currentThread().getName(), "b@piece-1", "c@piece-2");
    }

    @Test
    void theEarliestFailureIsThrownAndTheOthersAreToldToStop() {
        AtomicBoolean toldToStop = new AtomicBoolean();
        CountDownLatch failedLater = new CountDownLatch(1);
        List<Background.Piece<String>> work = List.of(
                othersFailed -> {
                    // runs until told: the third piece failed
                    while (!othersFailed.getAsBoolean()) {
                        Thread.onSpinWait();
                    }
                    toldToStop.set(true);
                    return "stopped";
                },
                othersFailed -> {
                    failedLater.await(10, TimeUnit.SECONDS);
                    throw new MigrationException("second");
                },
                othersFailed -> {
                    try {
                        throw new MigrationException("third");
                    } finally {
                        failedLater.countDown();
                    }
                });

        assertThatThrownBy(() -> Background.all("piece", "pieces", work))
                .isInstanceOf(MigrationException.class)
                .hasMessage("second");
        assertThat(toldToStop).isTrue();
    }

    @Test
    void aFailureOfTheFirstPieceReturnsOnlyWhenNoOtherIsRunning() {
        AtomicBoolean otherStarted = new AtomicBoolean();
        AtomicBoolean otherEnded = new AtomicBoolean();
        List<Background.Piece<String>> work = List.of(
                othersFailed -> {
                    throw new ConfigurationException("first");
                },
                othersFailed -> {
                    otherStarted.set(true);
                    while (!othersFailed.getAsBoolean()) {
                        Thread.onSpinWait();
                    }
                    otherEnded.set(true);
                    return "stopped";
                });

        assertThatThrownBy(() -> Background.all("piece", "pieces", work))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("first");
        // the other piece was dropped before it began, or was told to stop and has ended
        assertThat(otherEnded.get() || !otherStarted.get()).isTrue();
    }

    @Test
    void cancelWaitsForTheWorkEvenWhenTheCallerIsInterrupted() {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        Background<String> work = Background.start("waiting", "the work", () -> {
            running.countDown();
            release.await(10, TimeUnit.SECONDS);
            ended.set(true);
            return "done";
        });
        assertThat(awaited(running)).isTrue();
        // the caller is interrupted (its flag set); the work ends once the caller waits in cancel
        Thread caller = Thread.currentThread();
        Background<Void> releaser = Background.start("releaser", "the release", () -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (caller.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            release.countDown();
            return null;
        });
        caller.interrupt();

        work.cancel();

        assertThat(Thread.interrupted()).isTrue(); // kept for the caller, and cleared here
        assertThat(ended).isTrue();
        releaser.join();
    }

    private static boolean awaited(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
