package org.bemserver.schema;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work started on a daemon thread of its own, whose result (or failure) is taken later with
 * {@link #join}: what a goal can do while it waits for the database (read the project's files,
 * build a second throwaway database). The thread keeps the starting thread's context class loader.
 *
 * @param <T> what the work returns
 */
public final class Background<T> {

    private final FutureTask<T> task;
    private final String what;
    /** Counted down when the thread is done with the work, cancelled or not. */
    private final CountDownLatch done;

    private Background(FutureTask<T> task, String what, CountDownLatch done) {
        this.task = task;
        this.what = what;
        this.done = done;
    }

    /**
     * Starts {@code work} now on a daemon thread named {@code name}; {@code what} says what it does
     * in the message of an interrupted {@link #join} ({@code "the migration scripts to be read"}).
     */
    public static <T> Background<T> start(String name, String what, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        CountDownLatch done = new CountDownLatch(1);
        Thread thread = new Thread(
                () -> {
                    try {
                        task.run();
                    } finally {
                        done.countDown();
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
        return new Background<>(task, what, done);
    }

    /**
     * What the work returned, once it has; its unchecked exception or error as it was thrown (a
     * checked one wrapped in an {@link IllegalStateException}).
     */
    public T join() {
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("Interrupted while waiting for " + what, e);
        }
    }

    /**
     * Drops the work if it has not started, else waits for it to end (what it did, or how it
     * failed, is ignored: the caller's failure is the one reported), so that nothing it does
     * comes after the caller's clean-up.
     */
    public void cancel() {
        task.cancel(false);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code e} as an unchecked exception to throw: itself when it is one, an error thrown at once. */
    public static RuntimeException unchecked(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e);
    }
}
