package io.staleguard.device.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM-wide daemon threads that run every simulated device's DMA jobs: one timer that waits
 * out seeded delays, and a cached pool of workers. Sharing them means a device's first
 * asynchronous write no longer starts threads of its own (0.4–2 ms per device); each
 * {@link DmaEngine} still bounds its own concurrency, order and shutdown.
 *
 * <p>The worker pool is unbounded (an idle thread ends after 30 s) because a job may block, for
 * example on a device lock held by a test; a bounded pool would let one device's blocked jobs
 * starve another's.
 */
final class DmaThreads {

    private static final ScheduledThreadPoolExecutor TIMER = newTimer();
    private static final ThreadPoolExecutor WORKERS = newWorkers();

    private DmaThreads() {
    }

    /** The timer: its tasks must only hand work to {@link #workers()}, never run a job. */
    static ScheduledThreadPoolExecutor timer() {
        return TIMER;
    }

    /** The shared workers. */
    static Executor workers() {
        return WORKERS;
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "staleguard-dma-timer");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    private static ThreadPoolExecutor newWorkers() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "staleguard-dma-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
