package io.staleguard.device.core.internal;

import io.staleguard.device.CompletionOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the transfers of asynchronous operations on device worker threads after their seeded
 * delays, in FIFO or reordered order. Worker threads are daemons, started on first use (so an
 * idle device costs no thread) and stopped by {@link #shutdown}.
 */
final class DmaEngine {

    /** One asynchronous operation's remaining work. */
    interface Job {
        /** The seeded delay before the transfer. */
        long delayNanos();

        /** Runs the job; must call {@code done} exactly once, possibly later and on another thread. */
        void run(Runnable done);
    }

    private static final AtomicInteger DEVICES = new AtomicInteger();
    private static final Runnable NOTHING = () -> { };

    private final ScheduledThreadPoolExecutor executor;
    private final CompletionOrder order;
    private final ConcurrentLinkedQueue<Job> fifo = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean laneBusy = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Runnable decrement = inFlight::decrementAndGet;

    DmaEngine(int workers, CompletionOrder order) {
        this.order = order;
        int device = DEVICES.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "staleguard-dma-" + device + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = new ScheduledThreadPoolExecutor(workers, tf);
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Schedules a job: after its delay (REORDERED) or after every earlier job finished and its delay (FIFO). */
    void submit(Job job) {
        inFlight.incrementAndGet();
        if (order == CompletionOrder.REORDERED) {
            schedule(job, decrement);
        } else {
            fifo.add(job);
            pump();
        }
    }

    /** Runs {@code r} on a worker now (used to resume a job a hook released). */
    void execute(Runnable r) {
        executor.execute(r);
    }

    /** Number of submitted jobs that have not called done yet. */
    int inFlight() {
        return inFlight.get();
    }

    /** Waits up to {@code timeoutMillis} for in-flight jobs, then stops the workers. */
    void shutdown(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        executor.shutdownNow();
    }

    private void schedule(Job job, Runnable after) {
        long delay = job.delayNanos();
        Runnable task = () -> job.run(after);
        if (delay <= 0) {
            executor.execute(task);
        } else {
            executor.schedule(task, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void pump() {
        while (laneBusy.compareAndSet(false, true)) {
            Job job = fifo.poll();
            if (job != null) {
                schedule(job, this::laneDone);
                return;
            }
            laneBusy.set(false);
            if (fifo.isEmpty()) {
                return;
            }
        }
    }

    private void laneDone() {
        inFlight.decrementAndGet();
        laneBusy.set(false);
        pump();
    }

    static Runnable nothing() {
        return NOTHING;
    }
}
