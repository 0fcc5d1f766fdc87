package io.staleguard.junit.internal.fs;

import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The I/O threads of one verifying filesystem. Each asynchronous operation starts after a seeded delay, as a
 * device's DMA does, which opens the window in which a reused buffer is caught. Shut down (and joined) with the
 * filesystem at the end of its test.
 */
final class AsyncExecutor implements AutoCloseable {

    /** Shortest delay before an asynchronous operation starts. */
    static final long MIN_DELAY_NANOS = 500_000;
    /** Longest delay before an asynchronous operation starts. */
    static final long MAX_DELAY_NANOS = 2_000_000;

    /**
     * Longest time an operation whose delay has passed waits for its caller to wait for it: bounds the latency
     * a fire-and-forget caller sees, and is far longer than a caller takes to reuse a buffer it did not wait for.
     */
    static final long MAX_HOLD_NANOS = 200_000_000;

    private final ScheduledThreadPoolExecutor pool;
    private final SplittableRandom random;

    AsyncExecutor(String name, long seed) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, name + "-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ScheduledThreadPoolExecutor(2, tf);
        // An operation that started cancels its hold timer; drop the timer rather than keep it queued.
        this.pool.setRemoveOnCancelPolicy(true);
        this.random = new SplittableRandom(seed);
    }

    /** Runs {@code op} after a seeded delay; the future completes with its result. */
    <T> CompletableFuture<T> submitDelayed(Callable<T> op) {
        HeldOperation<T> f = submitHeld(op);
        f.release();
        return f;
    }

    /**
     * Runs {@code op} once a seeded delay has passed and the caller waits for it (see {@link HeldOperation}),
     * at most {@link #MAX_HOLD_NANOS} after the delay: a caller that never waits still sees its operation run.
     */
    <T> HeldOperation<T> submitHeld(Callable<T> op) {
        long delay;
        synchronized (random) {
            delay = random.nextLong(MIN_DELAY_NANOS, MAX_DELAY_NANOS + 1);
        }
        HeldOperation<T> f = new HeldOperation<>();
        f.onStart(() -> {
            try {
                f.complete(op.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        try {
            pool.schedule(f::delayElapsed, delay, TimeUnit.NANOSECONDS);
            f.holdTimer(pool.schedule(f::release, delay + MAX_HOLD_NANOS, TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new java.nio.channels.ClosedChannelException());
        }
        return f;
    }

    /** Lets pending operations finish (briefly), then stops and joins the threads. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                pool.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
