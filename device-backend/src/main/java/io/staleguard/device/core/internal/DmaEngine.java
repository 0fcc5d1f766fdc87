package io.staleguard.device.core.internal;

import io.staleguard.device.CompletionOrder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the transfers of asynchronous operations after their seeded delays, in FIFO or reordered
 * order, on the JVM-wide {@link DmaThreads}. At most {@code workers} of this device's jobs run at
 * once, as with a pool of its own; {@link #shutdown} waits for this device's jobs only and then
 * refuses new ones, leaving other devices' jobs running.
 */
final class DmaEngine {

    /** One asynchronous operation's remaining work. */
    interface Job {
        /** The seeded delay before the transfer. */
        long delayNanos();

        /** Runs the job; must call {@code done} exactly once, possibly later and on another thread. */
        void run(Runnable done);
    }

    private static final Runnable NOTHING = () -> { };

    private final int workers;
    private final CompletionOrder order;
    private final ConcurrentLinkedQueue<Job> fifo = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean laneBusy = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Runnable decrement = inFlight::decrementAndGet;

    // Tasks whose delay is over, run by at most `workers` drainers on the shared threads.
    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainers = new AtomicInteger();
    private final Runnable drain = this::drain;
    // The shared threads running this device's tasks now: shutdown interrupts these and no other.
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    DmaEngine(int workers, CompletionOrder order) {
        this.workers = OptionChecks.workers(workers);
        this.order = order;
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
        refuseIfStopped();
        ready.add(r);
        startDrainer();
    }

    /** Number of submitted jobs that have not called done yet. */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * Waits up to {@code timeoutMillis} for this device's in-flight jobs, then refuses new ones,
     * drops those not started and interrupts those still running.
     */
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
        stopped = true;
        ready.clear();
        synchronized (running) {
            for (Thread t : running) {
                t.interrupt();
            }
        }
    }

    private void refuseIfStopped() {
        if (stopped) {
            throw new RejectedExecutionException("the device's DMA engine is shut down");
        }
    }

    private void schedule(Job job, Runnable after) {
        refuseIfStopped();
        long delay = job.delayNanos();
        Runnable task = () -> job.run(after);
        if (delay <= 0) {
            ready.add(task);
            startDrainer();
        } else {
            DmaThreads.timer().schedule(() -> delayOver(task), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void delayOver(Runnable task) {
        if (stopped) {
            return;
        }
        ready.add(task);
        startDrainer();
    }

    private void startDrainer() {
        while (true) {
            int d = drainers.get();
            if (d >= workers || ready.isEmpty()) {
                return;
            }
            if (drainers.compareAndSet(d, d + 1)) {
                try {
                    DmaThreads.workers().execute(drain);
                } catch (RejectedExecutionException e) {
                    drainers.decrementAndGet();
                    throw e;
                }
                return;
            }
        }
    }

    private void drain() {
        Thread self = Thread.currentThread();
        running.add(self);
        try {
            Runnable task;
            while (!stopped && (task = ready.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable e) {
                    // As a pool of its own did (a task's failure stayed in its future), a job's
                    // failure reaches its operation's future, never the worker.
                }
            }
        } finally {
            // Under the lock shutdown interrupts with, so an interrupt meant for this device's
            // job never reaches the next device's.
            synchronized (running) {
                running.remove(self);
                Thread.interrupted();
            }
            drainers.decrementAndGet();
        }
        // A task added after the last poll and before the decrement saw no free drainer.
        if (!stopped) {
            startDrainer();
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
