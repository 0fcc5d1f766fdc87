package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelMapping;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real-threads programs of the five hazards, each with the I/O pattern of the kernel thread it
 * comes from (docs/HAZARDS.md). No gates: a race happens only in a natural window (a DMA delay,
 * read-ahead, the flusher, a DAX fault). Each program adds its threads to a {@link ProgramRun}; the
 * seed decides every random choice the threads make.
 */
public final class ThreadedPrograms {

    /** Page (and, for H1, H2, H4, H5, block) size. */
    public static final int PAGE = 4096;
    /** Pages of the H1/H2 ring. */
    public static final int RING = 64;
    /** How many pages the H1/H2 reader trails the writer by. */
    public static final int LAG = 3;

    private ThreadedPrograms() {
    }

    /**
     * H1 and H2 (Jeff Moyer, "[patch] aio: invalidate async directio writes", 2008-06-18, commits
     * 65b8291c and bdb76ef5; Lukas Czerner, "fs: Fix page cache inconsistency when mixing buffered
     * and AIO DIO", 2017): Karl Schendel's ring buffer. A writer writes the ring page by page with
     * O_DIRECT (synchronously, or asynchronously and waits); a reader reads the ring sequentially
     * with buffered reads, {@link #LAG} pages behind the last completed write, so its read-ahead
     * reaches the page being written.
     */
    public static void ringBuffer(ProgramRun run, boolean async) {
        SimulatedDevice dev = run.device();
        AtomicLong written = new AtomicLong();
        run.thread("ring-writer", () -> {
            for (long i = 0; run.go(); i++) {
                ByteBuffer b = aligned(PAGE);
                fill(b, i);
                long off = (i % RING) * PAGE;
                if (async) {
                    dev.writeAsync(b, off, IoMode.DIRECT).get();
                } else {
                    dev.write(b, off, IoMode.DIRECT);
                }
                written.set(i + 1);
                run.op();
            }
        });
        run.thread("ring-reader", () -> {
            long p = 0;
            ByteBuffer b = ByteBuffer.allocate(PAGE);
            while (run.go()) {
                long w = written.get();
                if (w - p < LAG) {
                    Thread.yield();
                    continue;
                }
                if (w - p > RING / 2) {
                    p = w - LAG;   // fell behind: skip to the tail, as a log tailer does
                }
                b.clear();
                dev.read(b, (p % RING) * PAGE, IoMode.BUFFERED);
                p++;
                run.op();
            }
        });
    }

    /**
     * H3 (Darrick J. Wong, "[RFC] block integrity: Fix write after checksum calculation problem",
     * 2011-02-22): Darrick J. Wong's reproducer. Two threads {@code write()} small blobs to random
     * offsets of a few pages while the flusher writes them back, and a scribbler stores through a
     * mapping of the same pages.
     *
     * @param pages pages the writes and stores cover
     */
    public static void writeAfterChecksum(ProgramRun run, long seed, int pages) {
        SimulatedDevice dev = run.device();
        long span = (long) pages * PAGE;
        for (int t = 0; t < 2; t++) {
            SplittableRandom rnd = new SplittableRandom(seed * 31 + t);
            run.thread("pwrite-" + t, () -> {
                while (run.go()) {
                    byte[] blob = new byte[1 + rnd.nextInt(64)];
                    rnd.nextBytes(blob);
                    dev.write(ByteBuffer.wrap(blob), rnd.nextLong(span - blob.length), IoMode.BUFFERED);
                    run.op();
                }
            });
        }
        KernelMapping map = KernelIoPath.map(dev, 0, span);
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        run.thread("scribbler", () -> {
            for (long i = 0; run.go(); i++) {
                map.putLong(rnd.nextLong(span / 8) * 8, i);
                run.op();
            }
        });
    }

    /**
     * H4 (Jan Kara, replying to Ross Zwisler on linux-mm, 2017-04): a writer
     * fills fresh holes page by page (direct and buffered writes alternately) while two readers
     * load, through a mapping, the page being written (a hole until the write's DMA) and, one by
     * one, the pages written before.
     *
     * @param pages pages of the device: the program stops when the writer reaches the end
     */
    public static void daxHoles(ProgramRun run, int pages) {
        SimulatedDevice dev = run.device();
        AtomicLong written = new AtomicLong();
        KernelMapping map = KernelIoPath.map(dev, 0, (long) pages * PAGE);
        run.thread("dax-writer", () -> {
            for (long i = 0; i < pages && run.go(); i++) {
                ByteBuffer b = aligned(PAGE);
                fill(b, i);
                dev.write(b, i * PAGE, i % 2 == 0 ? IoMode.DIRECT : IoMode.BUFFERED);
                written.set(i + 1);
                run.op();
            }
        });
        for (int r = 0; r < 2; r++) {
            run.thread("dax-reader-" + r, () -> {
                // Whole pages: the oracle judges whole blocks only.
                ByteBuffer b = ByteBuffer.allocate(PAGE);
                long checked = 0;
                long seen = -1;
                while (run.go()) {
                    long w = written.get();
                    if (w >= pages) {
                        break;
                    }
                    if (w == seen) {
                        Thread.yield();   // one round per page written: the readers follow the writer
                        continue;
                    }
                    seen = w;
                    b.clear();
                    map.get(w * PAGE, b);             // faults on the hole the writer is filling now
                    run.op();
                    checked = Math.max(checked, w - 64);
                    if (checked < w) {
                        b.clear();
                        map.get(checked * PAGE, b);   // a page written before: zeros here are stale
                        checked++;
                        run.op();
                    }
                }
            });
        }
    }

    /**
     * H5 (Filipe Manana, "[PATCH] iomap: fix incomplete async dio reads when using
     * IOMAP_DIO_PARTIAL", 2022-02-28, commit 51bd9563): MariaDB on io_uring. A writer writes
     * groups of 4 single-block extents (one direct write and a flush per block); a reader reads
     * each completed group with one NOWAIT asynchronous direct read into a fresh buffer and takes
     * the count it gets as the whole group.
     *
     * @param groups groups of the device: the program stops when the writer reaches the end
     */
    public static void nowaitReads(ProgramRun run, int groups) {
        SimulatedDevice dev = run.device();
        AtomicLong done = new AtomicLong();
        run.thread("extent-writer", () -> {
            for (long g = 0; g < groups && run.go(); g++) {
                for (int k = 0; k < 4; k++) {
                    ByteBuffer b = aligned(PAGE);
                    fill(b, g * 4 + k);
                    dev.write(b, (g * 4 + k) * PAGE, IoMode.DIRECT);
                    dev.flush();
                    run.op();
                }
                done.set(g + 1);
            }
        });
        run.thread("mariadb-reader", () -> {
            long g = 0;
            while (g < groups && run.go()) {
                if (g >= done.get()) {
                    Thread.yield();
                    continue;
                }
                // One request per group. The tracker judges a short asynchronous read when its caller is
                // closed (until then another read could still continue it): the reader is done with it.
                IoCaller request = IoCaller.newCaller("mariadb io_uring read of group " + g, true);
                ByteBuffer b = aligned(4 * PAGE);
                dev.readAsync(b, g * 4 * PAGE, IoMode.DIRECT, request).get();   // the count is taken as 16 KiB
                dev.callerClosed(request);
                g++;
                run.op();
            }
        });
    }

    static ByteBuffer aligned(int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(n + PAGE).alignedSlice(PAGE);
        b.limit(n);
        return b;
    }

    private static void fill(ByteBuffer b, long version) {
        for (int i = 0; i < b.limit(); i += 8) {
            b.putLong(i, version * 0x9E3779B97F4A7C15L + i + 1);
        }
    }
}
