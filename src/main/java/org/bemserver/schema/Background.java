package org.bemserver.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

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
     * Runs every piece of {@code work} at once, the first on this thread and each other on a thread
     * of its own ({@code name-1}, {@code name-2}, ...), and returns their results in order. When one
     * fails, the others are told through the {@link BooleanSupplier} they are given, so that they
     * stop at their next step, and the failure of the earliest piece that failed is thrown: the one
     * a run of the pieces in turn would have met first.
     */
    public static <T> List<T> all(String name, String what, List<Piece<T>> work) {
        AtomicBoolean failed = new AtomicBoolean();
        List<Callable<T>> told = work.stream()
                .<Callable<T>>map(piece -> () -> {
                    try {
                        return piece.run(failed::get);
                    } catch (Exception | Error e) {
                        failed.set(true);
                        throw e;
                    }
                })
                .toList();
        List<Background<T>> others = new ArrayList<>();
        for (int i = 1; i < told.size(); i++) {
            others.add(start(name + "-" + i, what, told.get(i)));
        }
        List<T> results = new ArrayList<>();
        try {
            results.add(told.get(0).call());
        } catch (Exception e) {
            others.forEach(Background::cancel);
            throw unchecked(e);
        }
        RuntimeException failure = null;
        for (Background<T> other : others) {
            try {
                results.add(other.join());
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    /** A piece of work that {@link #all} runs beside others. */
    @FunctionalInterface
    public interface Piece<T> {

        /**
         * @param othersFailed whether another piece failed: this one's result will be dropped, and it
         *     may stop at its next step
         */
        T run(BooleanSupplier othersFailed) throws Exception;
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
        // an interrupt does not cut the wait short: the caller's clean-up must come after the work
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
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
