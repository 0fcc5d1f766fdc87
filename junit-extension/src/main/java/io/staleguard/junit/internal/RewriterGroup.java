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
 * {@link #stop()} stops and joins every thread, built-in or user-supplied, and reports the first failure. Only the
 * first stop waits and reports: the later ones (the failure handler's, {@code afterEach}'s safety net) return at once,
 * so a thread that will not stop holds its test once and is named once, with the time it really held it. Such a
 * thread goes to the class's {@link StuckRewriters}, which fails the class if it still runs at the end.
 */
final class RewriterGroup implements RewriterThreads {

    /** How long a rewriter may take to notice the stop flag before it is interrupted. */
    static final long JOIN_MILLIS = 2_000;
    /** How long the rewriters may take to end after the interrupt. */
    static final long INTERRUPT_MILLIS = 2_000;

    private final Rewriters config;
    private final BlockDevice device;
    private final BlockDevice raw;
    private final long reserved;
    private final long seed;
    private final String name;
    private final AutoCloseable owned;
    private final StuckRewriters stuckRewriters;
    private final ViolationRecorder recorder = new ViolationRecorder();
    private final LongAdder operations = new LongAdder();
    private final List<RewriterWorker> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean stopping;
    private boolean started;
    private boolean stopped;

    /**
     * A group, not yet started.
     *
     * @param config   the annotation
     * @param device   the device to stress
     * @param raw      the device itself, unwrapped (for paths that need the simulated device's own API)
     * @param reserved first byte of the reserved region
     * @param seed     the group's seed
     * @param name     a readable name for threads ("WalTest#append")
     * @param owned    closed once the threads have stopped (the reserved file's channels), or null
     * @param stuckRewriters where threads that will not stop are kept in view until the end of the class
     */
    RewriterGroup(Rewriters config, BlockDevice device, BlockDevice raw, long reserved, long seed,
                         String name, AutoCloseable owned, StuckRewriters stuckRewriters) {
        this.config = config;
        this.device = device;
        this.raw = raw;
        this.reserved = reserved;
        this.seed = seed;
        this.name = name;
        this.owned = owned;
        this.stuckRewriters = stuckRewriters;
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
            spawn(config.pattern().name(), body, true);
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
            spawn("user", body, false);
        }
    }

    /**
     * Runs {@code body} on a borrowed thread of the shared pool ({@code pooled}: the built-in patterns) or on a new
     * thread of its own (user bodies, whose thread-locals must not outlive their test).
     */
    private void spawn(String kind, Body body, boolean pooled) {
        int index = next.getAndIncrement();
        String threadName = "staleguard-rewriter-" + name + "-" + index;
        Runnable run = () -> {
            try {
                body.run(device, index, () -> stopping);
            } catch (Throwable e) {
                if (!(stopping && e instanceof InterruptedException)) {
                    failure.compareAndSet(null, new AssertionError("rewriter " + Thread.currentThread().getName()
                            + " (" + kind + ") failed: " + e, e));
                }
            }
        };
        threads.add(pooled ? RewriterThreadPool.shared().start(threadName, run)
                : DedicatedWorker.start(threadName, run));
    }

    /**
     * Stops and joins every thread, the first time it is called. Throws the first rewriter failure, or an error
     * naming the threads that would not stop and how long the test waited for them; later calls return at once.
     */
    public void stop() {
        List<RewriterWorker> all;
        synchronized (this) {
            stopping = true;
            if (stopped) {
                return;
            }
            stopped = true;
            all = new ArrayList<>(threads);
        }
        long start = System.nanoTime();
        join(all, start + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS));
        List<RewriterWorker> ignoring = all.stream().filter(RewriterWorker::isRunning).toList();
        ignoring.forEach(RewriterWorker::interrupt);
        join(ignoring, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INTERRUPT_MILLIS));
        List<RewriterWorker> stuck = ignoring.stream().filter(RewriterWorker::isRunning).toList();
        long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (owned != null && stuck.isEmpty()) {
            try {
                owned.close();
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        }
        Throwable f = failure.get();
        if (!stuck.isEmpty()) {
            stuckRewriters.add(stuck, name);
            AssertionError e = new AssertionError("rewriter threads did not stop: they ignored the stop flag for "
                    + JOIN_MILLIS + " ms and an interrupt for " + INTERRUPT_MILLIS + " ms, holding the test for "
                    + heldMillis + " ms after its body ended: " + stuck.stream().map(RewriterWorker::name).toList()
                    + " (still running; the class fails if they still run at its end)");
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

    /** Waits for the bodies of {@code threads} until {@code deadline} ({@link System#nanoTime()}) at the latest. */
    private static void join(List<RewriterWorker> threads, long deadline) {
        for (RewriterWorker t : threads) {
            if (deadline - System.nanoTime() <= 0) {
                return;
            }
            try {
                t.awaitEnd(deadline);
            } catch (InterruptedException e) {
                // The test thread itself was interrupted: stop waiting, and leave the flag for the caller.
                Thread.currentThread().interrupt();
                return;
            }
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
