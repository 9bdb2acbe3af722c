package org.bemserver.schema;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
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

    private Background(FutureTask<T> task, String what) {
        this.task = task;
        this.what = what;
    }

    /**
     * Starts {@code work} now on a daemon thread named {@code name}; {@code what} says what it does
     * in the message of an interrupted {@link #join} ({@code "the migration scripts to be read"}).
     */
    public static <T> Background<T> start(String name, String what, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return new Background<>(task, what);
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

    /** Asks the work to stop, if it has not started, and waits for it to end, ignoring how. */
    public void cancel() {
        task.cancel(false);
        try {
            task.get();
        } catch (ExecutionException | CancellationException e) {
            // the caller's failure is the one reported
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
