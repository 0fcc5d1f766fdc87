package io.staleguard.maven.internal.fork;

import io.staleguard.device.IoMode;
import io.staleguard.device.file.Advice;
import io.staleguard.device.file.RealBlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * H1 and H2 on the host's kernel, as docs/HAZARDS.md ("Real kernel") describes them: Karl Schendel's ring buffer.
 * An O_DIRECT writer fills the blocks of a ring in order, wrapping around, at most {@link #LAG} blocks ahead of a
 * buffered reader that reads each block right after its write completed and advises WILLNEED ahead of itself, so
 * read-ahead caches blocks that still hold the previous lap. A kernel that does not invalidate those pages after
 * the direct write hands the reader the previous lap: the device's history oracle reports a stale read. H1 writes
 * synchronously; H2 keeps up to {@link #QUEUE_DEPTH} asynchronous writes in flight on the device's executor (the
 * aio-dio-invalidate-readahead pattern). The reader also compares each block with the pattern of the write it
 * waited for, a check independent of the oracle.
 */
final class HostRingBuffer {

    static final int RING_BLOCKS = 128;
    static final int LAG = 8;
    static final int READ_AHEAD_BLOCKS = 32;
    static final int QUEUE_DEPTH = 4;
    /** A run that takes longer than this on a loaded machine is a hang, not a slow kernel. */
    static final long TIMEOUT_MINUTES = 2;

    /**
     * One run.
     *
     * @param operations device calls made (writes, reads, the preload)
     * @param mismatches reads whose data was not the awaited write's, by the reader's own comparison
     */
    record Result(long operations, long mismatches) {
    }

    private final RealBlockDevice device;
    private final boolean async;
    private final long writes;
    private final long seed;
    private final int bs;
    private final AtomicLongArray completed = new AtomicLongArray(RING_BLOCKS);
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong mismatches = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** H2 when {@code async}, else H1; {@code writes} ring writes with block contents derived from {@code seed}. */
    HostRingBuffer(RealBlockDevice device, boolean async, long writes, long seed) {
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
        Thread writer = new Thread(this::writeLoop, async ? "h2-aio-writer" : "h1-dio-writer");
        Thread reader = new Thread(this::readLoop, "buffered-reader");
        // Preload the ring so that the first lap's read-ahead caches real (old) data.
        ByteBuffer pre = aligned(RING_BLOCKS * bs);
        device.write(pre, 0, IoMode.DIRECT);
        device.advise(0, (long) RING_BLOCKS * bs, Advice.SEQUENTIAL);
        writer.start();
        reader.start();
        writer.join(TimeUnit.MINUTES.toMillis(TIMEOUT_MINUTES));
        reader.join(TimeUnit.MINUTES.toMillis(TIMEOUT_MINUTES));
        if (writer.isAlive() || reader.isAlive()) {
            failure.compareAndSet(null, new IllegalStateException("timed out"));
            writer.interrupt();
            reader.interrupt();
            writer.join(1000);
            reader.join(1000);
            throw new IOException("the " + (async ? "H2" : "H1") + " ring buffer did not finish within "
                    + TIMEOUT_MINUTES + " min on " + device.describe());
        }
        if (failure.get() != null) {
            throw new IOException("the " + (async ? "H2" : "H1") + " ring buffer failed on " + device.describe()
                    + ": " + failure.get(), failure.get());
        }
        return new Result(device.operations() - opsBefore, mismatches.get());
    }

    private ByteBuffer aligned(int size) {
        return ByteBuffer.allocateDirect(size + bs).alignedSlice(bs).limit(size);
    }

    private void awaitRoom(long seq) throws InterruptedException {
        while (seq - consumed.get() >= LAG) {
            if (failure.get() != null || Thread.interrupted()) {
                throw new InterruptedException("reader stopped");
            }
            LockSupport.parkNanos(20_000);
        }
    }

    private void writeLoop() {
        try {
            if (async) {
                writeAsync();
            } else {
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
                    completed.set(block, seq);
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
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
                    failure.compareAndSet(null, new IOException("short async direct write of " + n + " bytes"));
                } else {
                    completed.set(block, s);
                }
            });
        }
        for (CompletableFuture<?> f : slots) {
            if (f != null) {
                f.join();
            }
        }
    }

    private void readLoop() {
        try {
            ByteBuffer buf = aligned(bs);
            ByteBuffer expected = aligned(bs);
            for (long seq = 0; seq < writes; seq++) {
                int block = (int) (seq % RING_BLOCKS);
                while (completed.get(block) < seq) {
                    if (failure.get() != null || Thread.interrupted()) {
                        return;
                    }
                    // Two cores shared by many processes: wait briefly rather than spin.
                    LockSupport.parkNanos(20_000);
                }
                buf.clear().limit(bs);
                int n = device.read(buf, (long) block * bs, IoMode.BUFFERED);
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
