package io.staleguard.junit.internal;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.oracle.ViolationRecorder;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelMapping;
import io.staleguard.junit.RewriterThreads;
import io.staleguard.junit.Rewriters;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/** The bodies of the built-in {@link Rewriters.Pattern}s. */
final class RewriterPatterns {

    /** Pause between operations of a built-in rewriter. */
    static final long PACE_NANOS = 20_000;
    /** Bytes per read of the trailing reader. */
    static final int TRAILER_CHUNK = 16 * 1024;

    private RewriterPatterns() {
    }

    /**
     * The body of {@code pattern} for worker {@code index} of {@code count}.
     *
     * @param region     first byte of the reserved region
     * @param seed       the worker's seed
     * @param recorder   where stamp mismatches go
     * @param operations counts completed operations
     */
    static RewriterThreads.Body body(Rewriters.Pattern pattern, int index, int count, long region, long seed,
                                     ViolationRecorder recorder, LongAdder operations, BlockDevice raw) {
        return switch (pattern) {
            case STAMPED_REGION -> (d, w, stop) -> stamped(d, index, count, region, seed, recorder, operations,
                    stop, false, null);
            case TOUCH_WRITEBACK -> (d, w, stop) -> stamped(d, index, count, region, seed, recorder, operations,
                    stop, true, raw);
            case READAHEAD_TRAILER -> (d, w, stop) -> trailer(d, index, count, region, operations, stop);
        };
    }

    /**
     * Stamped I/O on this worker's slice of the region. The worker owns its blocks, so every read-back must
     * show the generation it wrote last. With {@code touch}, writes are buffered rewrites of the same content
     * followed by flushes: pages are re-dirtied while writeback may be taking them. On a device with the simulated
     * kernel path, half of the touches are stores of the same bytes through a mapping (the page_mkwrite path).
     */
    private static void stamped(BlockDevice d, int index, int count, long region, long seed,
                                ViolationRecorder recorder, LongAdder operations,
                                java.util.function.BooleanSupplier stop, boolean touch, BlockDevice raw)
            throws Exception {
        int bs = d.logicalBlockSize();
        long blocks = (d.capacity() - region) / bs;
        long perWorker = blocks / count;
        long first = region + index * perWorker * bs;
        int slice = (int) Math.min(perWorker, 1 << 20);
        long[] generation = new long[slice];
        SplittableRandom rnd = new SplittableRandom(seed);
        IoCaller caller = IoCaller.newCaller(Thread.currentThread().getName(), true);
        ByteBuffer heap = ByteBuffer.allocate(bs);
        ByteBuffer direct = RewriterIo.aligned(bs, bs);
        ByteBuffer check = RewriterIo.aligned(bs, bs);
        KernelMapping mapping = touch && raw instanceof SimulatedDevice sim && sim.ioPath() instanceof KernelIoPath
                ? KernelIoPath.map(sim, first, (long) slice * bs) : null;
        while (!stop.getAsBoolean()) {
            int b = rnd.nextInt(slice);
            long offset = first + (long) b * bs;
            boolean write = generation[b] == 0 || rnd.nextInt(100) < 55;
            if (write) {
                int path = touch ? 0 : rnd.nextInt(3);
                ByteBuffer buf = path == 0 ? heap : direct;
                if (touch && generation[b] != 0 && mapping != null && rnd.nextBoolean()) {
                    // A store of the bytes already there, through the mapping: a page fault on a page under
                    // writeback, without changing it.
                    long at = (long) b * bs + 8L * rnd.nextInt(bs / 8);
                    mapping.putLong(at, mapping.getLong(at));
                    if (rnd.nextInt(4) == 0) {
                        d.flush();
                    }
                    operations.increment();
                    RewriterIo.pace(stop, PACE_NANOS);
                    continue;
                }
                if (touch && generation[b] != 0) {
                    // Same content again: the page is re-dirtied without changing.
                    buf.clear();
                    RewriterIo.readFully(d, buf, offset, IoMode.BUFFERED, false, caller);
                } else {
                    RewriterStamp.fill(buf, bs, offset, generation[b] + 1, index, rnd);
                    generation[b]++;
                }
                buf.clear();
                RewriterIo.writeFully(d, buf, offset, path == 0 ? IoMode.BUFFERED : IoMode.DIRECT, path == 2, caller);
                if (touch && rnd.nextInt(4) == 0) {
                    d.flush();
                }
            } else {
                int path = rnd.nextInt(3);
                ByteBuffer buf = path == 0 ? heap : check;
                buf.clear();
                RewriterIo.readFully(d, buf, offset, path == 0 ? IoMode.BUFFERED : IoMode.DIRECT, path == 2, caller);
                RewriterStamp.Problem problem = RewriterStamp.check(buf, bs, offset, generation[b], index);
                if (problem != null) {
                    recorder.record(Violation.of(problem.kind())
                            .at(offset, bs, offset / bs).saw("v" + generation[b], problem.detail())
                            .by(Thread.currentThread().getName(), List.of())
                            .detail("stamped rewriter " + index + " read back block " + offset + " through the "
                                    + (path == 0 ? "buffered" : path == 1 ? "direct" : "asynchronous direct")
                                    + " path: " + problem.detail())
                            .build());
                }
            }
            operations.increment();
            RewriterIo.pace(stop, PACE_NANOS);
        }
    }

    /**
     * A buffered sequential reader over the test's data region (below the reserved region), trailing the test's
     * writes and filling the page cache through read-ahead. The device's oracle checks what it reads.
     */
    private static void trailer(BlockDevice d, int index, int count, long region, LongAdder operations,
                                java.util.function.BooleanSupplier stop) throws Exception {
        long end = region;
        if (end <= 0) {
            return;
        }
        IoCaller caller = IoCaller.newCaller(Thread.currentThread().getName(), false);
        ByteBuffer buf = ByteBuffer.allocate(TRAILER_CHUNK);
        long pos = (end / count) * index;
        pos -= pos % d.logicalBlockSize();
        while (!stop.getAsBoolean()) {
            buf.clear();
            if (end - pos < buf.capacity()) {
                buf.limit((int) (end - pos));
            }
            int n = d.read(buf, pos, IoMode.BUFFERED, caller);
            pos = n <= 0 ? 0 : pos + n;
            if (pos >= end) {
                pos = 0;
            }
            operations.increment();
            RewriterIo.pace(stop, PACE_NANOS);
        }
    }
}
