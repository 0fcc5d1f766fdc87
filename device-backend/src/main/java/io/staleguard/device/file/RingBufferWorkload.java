package io.staleguard.device.file;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apiguardian.api.API;

/**
 * Hazards H1 and H2 on a real kernel (docs/HAZARDS.md, "Real kernel"): Karl Schendel's ring buffer. An O_DIRECT
 * writer fills the blocks of a ring in order, wrapping around, at most {@link #LAG} blocks ahead of a buffered reader
 * that reads each block right after its write completed and advises WILLNEED ahead of itself, so read-ahead caches
 * blocks that still hold the previous lap. A kernel that does not invalidate those pages after the direct write
 * hands the reader the previous lap: the device's history oracle reports a stale read. H1 writes synchronously; H2
 * keeps up to {@link #QUEUE_DEPTH} asynchronous writes in flight on the device's executor (the
 * aio-dio-invalidate-readahead pattern). The reader also compares each block with the pattern of the write it
 * waited for, a check independent of the oracle.
 *
 * <p>The soak's host scenarios and the real-kernel tests run this one class. A run either returns its
 * {@link Result} or throws an {@link IOException} naming the hazard and the device; in both cases its threads have
 * been told to stop, and they are daemon threads, so a device call that never returns cannot keep a JVM alive.
 * <pre>{@code
 * RingBufferWorkload.Result r = RingBufferWorkload.h2(device, 1000, seed).run();
 * assert r.violations().isEmpty() && r.selfCheckMismatches() == 0;
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class RingBufferWorkload {

    /** The ring's length in blocks. */
    public static final int RING_BLOCKS = 128;
    /** How many blocks the writer may be ahead of the reader. */
    public static final int LAG = 8;
    /** How far ahead of itself the reader advises WILLNEED, in blocks. */
    public static final int READ_AHEAD_BLOCKS = 32;
    /** H2's asynchronous writes in flight at most. */
    public static final int QUEUE_DEPTH = 4;
    /** A run that takes longer than this on a loaded machine is a hang, not a slow kernel. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    /** How long the run's threads get to end once they were told to stop. */
    private static final long STOP_MILLIS = 1000;

    /**
     * What one run did and found.
     *
     * @param scenario            {@code "H1"} or {@code "H2"}
     * @param operations          device calls made: writes, reads and the preload
     * @param writes              ring writes made
     * @param reads               ring reads made
     * @param selfCheckMismatches reads whose data was not the awaited write's, by the reader's own comparison
     * @param violations          the violations the device recorded during the run, per kind (none absent)
     * @param millis              how long the run took
     */
    public record Result(String scenario, long operations, long writes, long reads, long selfCheckMismatches,
                         Map<ViolationKind, Long> violations, long millis) {

        /** Keeps an unmodifiable copy of {@code violations}. */
        public Result {
            Objects.requireNonNull(scenario, "scenario");
            violations = violations.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(violations));
        }

        /** All violations of the run, of every kind. */
        public long violationTotal() {
            return violations.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final RealBlockDevice device;
    private final boolean async;
    private final long writes;
    private final long seed;
    private final int bs;
    private Duration timeout = DEFAULT_TIMEOUT;
    private final AtomicLongArray completed = new AtomicLongArray(RING_BLOCKS);
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong writesDone = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong mismatches = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean started = new AtomicBoolean();

    private RingBufferWorkload(RealBlockDevice device, boolean async, long writes, long seed) {
        this.device = Objects.requireNonNull(device, "device");
        if (writes <= 0) {
            throw new IllegalArgumentException("writes must be positive, but was " + writes);
        }
        this.bs = device.logicalBlockSize();
        if (device.capacity() < (long) RING_BLOCKS * bs) {
            throw new IllegalArgumentException("the ring needs " + RING_BLOCKS + " blocks of " + bs + " B, but "
                    + device.describe() + " has " + device.capacity() + " B");
        }
        this.async = async;
        this.writes = writes;
        this.seed = seed;
        for (int i = 0; i < RING_BLOCKS; i++) {
            completed.set(i, -1);
        }
    }

    /**
     * H1: synchronous O_DIRECT writes, {@code writes} of them, with block contents derived from {@code seed}.
     *
     * @throws IllegalArgumentException if {@code writes} is not positive or the device is smaller than the ring
     */
    public static RingBufferWorkload h1(RealBlockDevice device, long writes, long seed) {
        return new RingBufferWorkload(device, false, writes, seed);
    }

    /**
     * H2: asynchronous O_DIRECT writes on the device's executor, otherwise as {@link #h1}.
     *
     * @throws IllegalArgumentException if {@code writes} is not positive or the device is smaller than the ring
     */
    public static RingBufferWorkload h2(RealBlockDevice device, long writes, long seed) {
        return new RingBufferWorkload(device, true, writes, seed);
    }

    /**
     * How long {@link #run()} waits for the writer and the reader ({@link #DEFAULT_TIMEOUT} unless set).
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public RingBufferWorkload timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /** {@code "H1"} or {@code "H2"}. */
    public String scenario() {
        return async ? "H2" : "H1";
    }

    /**
     * The block content of write {@code seq}: unique per write and seed, with the sequence number at the start of
     * every 512-byte sector. Writes {@code bs} bytes at absolute positions from 0.
     */
    public static void fill(ByteBuffer b, long seq, long seed, int bs) {
        long x = seq * 0x9E3779B97F4A7C15L ^ seed;
        for (int i = 0; i < bs; i += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.putLong(i, (i & 511) == 0 ? seq : x);
        }
    }

    /**
     * Preloads the ring, then runs the writer and the reader to the last write. A workload runs once.
     *
     * @throws IOException           {@code "the H1 ring buffer did not finish within 2 min on <device>"} on a
     *                               timeout, or {@code "the H1 ring buffer failed on <device>: <error>"} (with the
     *                               error as the cause) when a device call failed
     * @throws IllegalStateException if this workload already ran
     * @throws InterruptedException  if the calling thread was interrupted while waiting (the run's threads are told
     *                               to stop first)
     */
    public Result run() throws IOException, InterruptedException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the " + scenario() + " ring buffer on " + device.describe()
                    + " already ran; make a new workload");
        }
        long opsBefore = device.operations();
        Map<ViolationKind, Long> before = Map.copyOf(device.violations().counts());
        long t0 = System.nanoTime();
        try {
            // Preload the ring so that the first lap's read-ahead caches real (old) data.
            ByteBuffer pre = aligned(RING_BLOCKS * bs);
            device.write(pre, 0, IoMode.DIRECT);
            device.advise(0, (long) RING_BLOCKS * bs, Advice.SEQUENTIAL);
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
        Thread writer = daemon(this::writeLoop, async ? "h2-aio-writer" : "h1-dio-writer");
        Thread reader = daemon(this::readLoop, "buffered-reader");
        writer.start();
        reader.start();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            TimeUnit.NANOSECONDS.timedJoin(writer, Math.max(1, deadline - System.nanoTime()));
            TimeUnit.NANOSECONDS.timedJoin(reader, Math.max(1, deadline - System.nanoTime()));
        } catch (InterruptedException e) {
            stop(writer, reader, e);
            throw e;
        }
        if (writer.isAlive() || reader.isAlive()) {
            stop(writer, reader, new IllegalStateException("timed out"));
            throw new IOException("the " + scenario() + " ring buffer did not finish within " + text(timeout)
                    + " on " + device.describe());
        }
        Throwable failed = failure.get();
        if (failed != null) {
            throw failed(failed);
        }
        return new Result(scenario(), device.operations() - opsBefore, writesDone.get(), reads.get(),
                mismatches.get(), since(before), (System.nanoTime() - t0) / 1_000_000);
    }

    private IOException failed(Throwable cause) {
        return new IOException("the " + scenario() + " ring buffer failed on " + device.describe() + ": " + cause,
                cause);
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /** Tells both threads to stop (they check the failure at every wait) and gives them a moment to end. */
    private void stop(Thread writer, Thread reader, Throwable why) throws InterruptedException {
        failure.compareAndSet(null, why);
        writer.interrupt();
        reader.interrupt();
        writer.join(STOP_MILLIS);
        reader.join(STOP_MILLIS);
    }

    private Map<ViolationKind, Long> since(Map<ViolationKind, Long> before) {
        Map<ViolationKind, Long> found = new EnumMap<>(ViolationKind.class);
        for (Map.Entry<ViolationKind, Long> e : device.violations().counts().entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                found.put(e.getKey(), d);
            }
        }
        return found;
    }

    private static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private ByteBuffer aligned(int size) {
        return ByteBuffer.allocateDirect(size + bs).alignedSlice(bs).limit(size);
    }

    private boolean stopping() {
        return failure.get() != null || Thread.currentThread().isInterrupted();
    }

    private void awaitRoom(long seq) throws InterruptedException {
        while (seq - consumed.get() >= LAG) {
            if (stopping()) {
                throw new InterruptedException("the reader stopped");
            }
            // Two cores shared by many processes: wait briefly rather than spin.
            LockSupport.parkNanos(20_000);
        }
    }

    private void writeLoop() {
        try {
            if (async) {
                writeAsync();
            } else {
                writeSync();
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private void writeSync() throws IOException, InterruptedException {
        ByteBuffer buf = aligned(bs);
        for (long seq = 0; seq < writes; seq++) {
            awaitRoom(seq);
            fill(buf, seq, seed, bs);
            buf.clear().limit(bs);
            int block = (int) (seq % RING_BLOCKS);
            int n = device.write(buf, (long) block * bs, IoMode.DIRECT);
            if (n != bs) {
                throw new IOException("short direct write of " + n + " bytes at block " + block);
            }
            publish(block, seq);
        }
    }

    private void writeAsync() throws InterruptedException {
        Semaphore depth = new Semaphore(QUEUE_DEPTH);
        ByteBuffer[] bufs = new ByteBuffer[QUEUE_DEPTH];
        for (int i = 0; i < QUEUE_DEPTH; i++) {
            bufs[i] = aligned(bs);
        }
        CompletableFuture<?>[] slots = new CompletableFuture<?>[QUEUE_DEPTH];
        for (long seq = 0; seq < writes; seq++) {
            awaitRoom(seq);
            depth.acquire();
            int slot = (int) (seq % QUEUE_DEPTH);
            if (slots[slot] != null) {
                // A buffer is refilled only after its previous write completed (no RATIS-2114 here).
                slots[slot].join();
            }
            ByteBuffer buf = bufs[slot];
            fill(buf, seq, seed, bs);
            buf.clear().limit(bs);
            int block = (int) (seq % RING_BLOCKS);
            long s = seq;
            slots[slot] = device.writeAsync(buf, (long) block * bs, IoMode.DIRECT).whenComplete((n, e) -> {
                depth.release();
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else if (n != bs) {
                    failure.compareAndSet(null, new IOException("short async direct write of " + n
                            + " bytes at block " + block));
                } else {
                    publish(block, s);
                }
            });
        }
        for (CompletableFuture<?> f : slots) {
            if (f != null) {
                f.join();
            }
        }
    }

    private void publish(int block, long seq) {
        completed.set(block, seq);
        writesDone.incrementAndGet();
    }

    private void readLoop() {
        try {
            ByteBuffer buf = aligned(bs);
            ByteBuffer expected = aligned(bs);
            for (long seq = 0; seq < writes; seq++) {
                int block = (int) (seq % RING_BLOCKS);
                while (completed.get(block) < seq) {
                    if (stopping()) {
                        return;
                    }
                    LockSupport.parkNanos(20_000);
                }
                buf.clear().limit(bs);
                int n = device.read(buf, (long) block * bs, IoMode.BUFFERED);
                reads.incrementAndGet();
                fill(expected, seq, seed, bs);
                buf.flip();
                expected.clear().limit(bs);
                if (n != bs || !buf.equals(expected)) {
                    mismatches.incrementAndGet();
                }
                consumed.set(seq + 1);
                if (seq % 4 == 0) {
                    int next = (block + 1) % RING_BLOCKS;
                    int len = Math.min(READ_AHEAD_BLOCKS, RING_BLOCKS - next);
                    device.advise((long) next * bs, (long) len * bs, Advice.WILLNEED);
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }
}
