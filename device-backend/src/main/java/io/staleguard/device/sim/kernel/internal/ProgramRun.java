package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.sim.SimulatedDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One bounded run of a real-threads program on a device: the threads it starts, its operation
 * budget, its wall-time cap, and the wall time at which a violation was first seen. Every thread
 * of the program loops while {@link #go()} and calls {@link #op()} after each operation.
 */
public final class ProgramRun {

    /** The body of one program thread. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private static final long JOIN_MILLIS = 10_000;

    private final SimulatedDevice device;
    private final long opBudget;
    private final long wallNanos;
    private final boolean stopAtFirst;
    private final AtomicLong ops = new AtomicLong();
    private final AtomicLong firstNanos = new AtomicLong(-1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private long t0;
    private volatile boolean stopped;

    /**
     * @param stopAtFirst whether the threads stop at the first violation (detection runs) or go on to
     *                    the budget (clean runs, where every operation counts)
     */
    public ProgramRun(SimulatedDevice device, long opBudget, long wallNanos, boolean stopAtFirst) {
        this.device = device;
        this.opBudget = opBudget;
        this.wallNanos = wallNanos;
        this.stopAtFirst = stopAtFirst;
    }

    /** The device the program runs on. */
    public SimulatedDevice device() {
        return device;
    }

    /** Whether the program goes on: within budget and cap, nothing failed, no violation to stop at. */
    public boolean go() {
        if (stopped) {
            return false;
        }
        if (ops.get() >= opBudget || System.nanoTime() - t0 >= wallNanos || failure.get() != null
                || stopAtFirst && firstNanos.get() >= 0) {
            stopped = true;
            return false;
        }
        return true;
    }

    /** Counts one operation and notes the first violation the device recorded. */
    public void op() {
        ops.incrementAndGet();
        noteViolations();
    }

    /** Adds a thread to the program; threads start together in {@link #execute()}. */
    public void thread(String name, Body body) {
        threads.add(new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name));
    }

    /**
     * Starts the threads, waits for them, and closes the device (which drains writeback and checks
     * what was left pending).
     *
     * @throws IllegalStateException if a thread failed or did not stop
     */
    public void execute() throws Exception {
        t0 = System.nanoTime();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(JOIN_MILLIS);
            if (t.isAlive()) {
                stopped = true;
                t.join(JOIN_MILLIS);
                if (t.isAlive()) {
                    throw new IllegalStateException("program thread " + t.getName() + " did not stop within "
                            + 2 * JOIN_MILLIS + " ms");
                }
            }
        }
        device.close();
        noteViolations();
        Throwable f = failure.get();
        if (f != null) {
            throw new IllegalStateException("program thread failed: " + f, f);
        }
    }

    /** Operations the program's threads did. */
    public long programOps() {
        return ops.get();
    }

    /** Wall time from the start to the first violation seen, in nanoseconds; -1 if none. */
    public long firstViolationNanos() {
        return firstNanos.get();
    }

    private void noteViolations() {
        if (firstNanos.get() < 0 && device.violations().total() > 0) {
            firstNanos.compareAndSet(-1, System.nanoTime() - t0);
        }
    }
}
