package io.staleguard.device.realkernel;

import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.file.Advice;
import io.staleguard.device.file.RealBlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * H1 and H2 on the real kernel: Karl Schendel's ring buffer (000_*). An O_DIRECT writer fills the
 * blocks of a ring in order, wrapping around; a buffered reader reads each block right after its
 * write completed, advising WILLNEED ahead of itself so read-ahead pulls in blocks the writer is
 * about to overwrite (the previous lap's data). A kernel that fails to invalidate those cached
 * pages after the direct write hands the reader the old lap: a stale read.
 *
 * <p>H1 writes synchronously; H2 submits up to {@link #QUEUE_DEPTH} asynchronous writes on the
 * device's executor (the aio-dio-invalidate-readahead pattern). Besides the oracle, the reader
 * checks each block against the pattern of the write it waited for (an independent check).
 */
final class RingBufferWorkload {

    static final int RING_BLOCKS = 128;
    static final int LAG = 8;
    static final int READ_AHEAD_BLOCKS = 32;
    static final int QUEUE_DEPTH = 4;

    /** What one run did and found. */
    record Result(String scenario, long operations, long writes, long reads, long selfCheckMismatches,
                  Map<ViolationKind, Long> violations, long millis) {
        long violationTotal() {
            return violations.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final RealBlockDevice device;
    private final boolean async;
    private final long writes;
    private final long seed;
    private final int bs;
    private final AtomicLongArray completed = new AtomicLongArray(RING_BLOCKS);
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong highestCompleted = new AtomicLong(-1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    RingBufferWorkload(RealBlockDevice device, boolean async, long writes, long seed) {
        this.device = device;
        this.async = async;
        this.writes = writes;
        this.seed = seed;
        this.bs = device.logicalBlockSize();
        for (int i = 0; i < RING_BLOCKS; i++) {
            completed.set(i, -1);
        }
    }

    /** The block content of write {@code seq}: unique per write, the sequence number at every sector. */
    static void fill(ByteBuffer b, long seq, long seed, int bs) {
        long x = seq * 0x9E3779B97F4A7C15L ^ seed;
        for (int i = 0; i < bs; i += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.putLong(i, (i & 511) == 0 ? seq : x);
        }
    }

    Result run() throws Exception {
        long opsBefore = device.operations();
        Map<ViolationKind, Long> before = Map.copyOf(device.violations().counts());
        long t0 = System.nanoTime();
        Thread writer = new Thread(this::writeLoop, async ? "h2-aio-writer" : "h1-dio-writer");
        ReaderStats stats = new ReaderStats();
        Thread reader = new Thread(() -> readLoop(stats), "buffered-reader");
        // Preload the ring so the first lap's read-ahead caches real (old) data.
        ByteBuffer pre = aligned(RING_BLOCKS * bs);
        device.write(pre, 0, IoMode.DIRECT);
        device.advise(0, (long) RING_BLOCKS * bs, Advice.SEQUENTIAL);
        writer.start();
        reader.start();
        writer.join(TimeUnit.MINUTES.toMillis(2));
        reader.join(TimeUnit.MINUTES.toMillis(2));
        if (writer.isAlive() || reader.isAlive()) {
            writer.interrupt();
            reader.interrupt();
            throw new IllegalStateException("ring buffer workload did not finish on " + device.describe());
        }
        if (failure.get() != null) {
            throw new IllegalStateException("ring buffer workload failed on " + device.describe(), failure.get());
        }
        Map<ViolationKind, Long> after = device.violations().counts();
        Map<ViolationKind, Long> found = new java.util.EnumMap<>(ViolationKind.class);
        for (Map.Entry<ViolationKind, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                found.put(e.getKey(), d);
            }
        }
        return new Result(async ? "H2" : "H1", device.operations() - opsBefore, writes, stats.reads,
                stats.mismatches, found, (System.nanoTime() - t0) / 1_000_000);
    }

    private ByteBuffer aligned(int size) {
        return ByteBuffer.allocateDirect(size + bs).alignedSlice(bs).limit(size);
    }

    private void awaitRoom(long seq) throws InterruptedException {
        while (seq - consumed.get() >= LAG) {
            if (failure.get() != null) {
                throw new InterruptedException("reader failed");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
    }

    private void writeLoop() {
        try {
            if (!async) {
                ByteBuffer buf = aligned(bs);
                for (long seq = 0; seq < writes; seq++) {
                    awaitRoom(seq);
                    fill(buf, seq, seed, bs);
                    buf.clear().limit(bs);
                    int block = (int) (seq % RING_BLOCKS);
                    int n = device.write(buf, (long) block * bs, IoMode.DIRECT);
                    if (n != bs) {
                        throw new IOException("short direct write of " + n + " bytes");
                    }
                    publish(block, seq);
                }
            } else {
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
                            failure.compareAndSet(null, new IOException("short async direct write of " + n));
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
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private void publish(int block, long seq) {
        completed.set(block, seq);
        highestCompleted.accumulateAndGet(seq, Math::max);
    }

    private static final class ReaderStats {
        long reads;
        long mismatches;
    }

    private void readLoop(ReaderStats stats) {
        try {
            ByteBuffer buf = aligned(bs);
            ByteBuffer expected = aligned(bs);
            for (long seq = 0; seq < writes; seq++) {
                int block = (int) (seq % RING_BLOCKS);
                while (completed.get(block) < seq) {
                    if (failure.get() != null) {
                        return;
                    }
                    // Two cores are shared by many processes: wait briefly rather than spin.
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
                buf.clear().limit(bs);
                int n = device.read(buf, (long) block * bs, IoMode.BUFFERED);
                stats.reads++;
                fill(expected, seq, seed, bs);
                buf.flip();
                expected.clear().limit(bs);
                if (n != bs || !buf.equals(expected)) {
                    stats.mismatches++;
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
