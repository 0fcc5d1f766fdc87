package io.staleguard.junit.internal;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.Seeds;
import io.staleguard.device.ViolationLog;
import io.staleguard.device.oracle.ViolationRecorder;
import io.staleguard.junit.RewriterThreads;
import io.staleguard.junit.Rewriters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The rewriter threads of one {@code @Rewriters} point in one test. {@link #start()} runs the built-in pattern;
 * {@link #stop()} stops and joins every thread, built-in or user-supplied, and reports the first failure.
 */
final class RewriterGroup implements RewriterThreads {

    /** How long a rewriter may take to notice the stop flag before it is interrupted. */
    static final long JOIN_MILLIS = 2_000;

    private final Rewriters config;
    private final BlockDevice device;
    private final BlockDevice raw;
    private final long reserved;
    private final long seed;
    private final String name;
    private final ViolationRecorder recorder = new ViolationRecorder();
    private final LongAdder operations = new LongAdder();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean stopping;
    private boolean started;
    private boolean reported;

    /**
     * A group, not yet started.
     *
     * @param config   the annotation
     * @param device   the device to stress
     * @param raw      the device itself, unwrapped (for paths that need the simulated device's own API)
     * @param reserved first byte of the reserved region
     * @param seed     the group's seed
     * @param name     a readable name for threads ("WalTest#append")
     */
    RewriterGroup(Rewriters config, BlockDevice device, BlockDevice raw, long reserved, long seed,
                         String name) {
        this.config = config;
        this.device = device;
        this.raw = raw;
        this.reserved = reserved;
        this.seed = seed;
        this.name = name;
    }

    /** The annotation this group was made from. */
    public Rewriters config() {
        return config;
    }

    /** Starts the built-in threads (once). */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        int count = config.threads();
        for (int i = 0; i < count; i++) {
            RewriterThreads.Body body = RewriterPatterns.body(config.pattern(), i, count, reserved,
                    Seeds.derive(seed, "rewriter", i), recorder, operations, raw);
            spawn(config.pattern().name(), body);
        }
    }

    @Override
    public synchronized void run(int count, Body body) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + count);
        }
        if (stopping) {
            throw new IllegalStateException("the test has ended; rewriters cannot start now");
        }
        for (int i = 0; i < count; i++) {
            spawn("user", body);
        }
    }

    private void spawn(String kind, Body body) {
        int index = next.getAndIncrement();
        Thread t = new Thread(() -> {
            try {
                body.run(device, index, () -> stopping);
            } catch (Throwable e) {
                if (!(stopping && e instanceof InterruptedException)) {
                    failure.compareAndSet(null, new AssertionError("rewriter " + Thread.currentThread().getName()
                            + " (" + kind + ") failed: " + e, e));
                }
            }
        }, "staleguard-rewriter-" + name + "-" + index);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /**
     * Stops and joins every thread. Throws the first rewriter failure, or an error naming a thread that would not
     * stop.
     */
    public void stop() {
        List<Thread> all;
        synchronized (this) {
            stopping = true;
            all = new ArrayList<>(threads);
        }
        List<String> stuck = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        for (Thread t : all) {
            try {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                t.join(Math.max(1, left));
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(2_000);
                }
                if (t.isAlive()) {
                    stuck.add(t.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stuck.add(t.getName());
            }
        }
        Throwable f;
        synchronized (this) {
            // A failure is reported once, by whichever stop comes first (end of body, or the safety net after it).
            f = reported ? null : failure.get();
            reported = true;
        }
        if (!stuck.isEmpty()) {
            AssertionError e = new AssertionError("rewriter threads did not stop within " + JOIN_MILLIS
                    + " ms after the test ended: " + stuck);
            if (f != null) {
                e.addSuppressed(f);
            }
            throw e;
        }
        if (f instanceof Error err) {
            throw err;
        }
        if (f != null) {
            throw new AssertionError(f);
        }
    }

    @Override
    public BlockDevice device() {
        return device;
    }

    @Override
    public long reservedOffset() {
        return reserved;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public ViolationLog violations() {
        return recorder;
    }

    @Override
    public long operations() {
        return operations.sum();
    }
}
