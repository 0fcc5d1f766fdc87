package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.sim.PathOperation;
import io.staleguard.device.core.internal.SeededRandom;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.sim.MediaPort;
import io.staleguard.device.sim.kernel.DaxFaultGate;
import io.staleguard.device.sim.kernel.DaxFaultLocking;
import io.staleguard.device.sim.kernel.KernelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * DAX (H4, Jan Kara, replying to Ross Zwisler on linux-mm, 2017-04) under real
 * threads: no page cache, the media is the memory. Reads and writes copy straight to and from the
 * media; pages never written are holes. A write into a hole allocates its pages ({@code
 * ->iomap_begin}) and then drops their mapping entries ({@code invalidate_inode_pages2_range},
 * waiting on locked entries) before its data lands. A mapped load of a page without an entry runs
 * the read fault: with {@link DaxFaultLocking#UNLOCKED_FAULT} the block lookup, then
 * {@code grab_mapping_entry} installing the zero page if the lookup saw a hole; with
 * {@link DaxFaultLocking#ENTRY_LOCK_ACROSS_LOOKUP} the entry lock first, held across the lookup. Loads
 * then read the zero page or the media. A mapped store write-faults its pages in (allocating) and
 * stores to the media.
 *
 * <p>Between the lookup and the install a fault passes its {@link DaxFaultGate}s and a seeded delay
 * in [0, window] (none by default), to widen the race for tests.
 */
public final class ThreadedDax implements KernelBackend {

    private final ErrSeq noWriteback = new ErrSeq();

    private final KernelConfig cfg;
    private final MediaPort dev;
    private final int pageSize;
    private final long capacity;
    private final int blockSize;
    private final long windowNanos;
    private final ThreadedDaxEntries mapping;
    private final BitSet allocated = new BitSet();
    private final AtomicLong faults = new AtomicLong();
    private final List<FaultGate> gates = new CopyOnWriteArrayList<>();
    // Stores read-modify-write whole blocks: they exclude each other and the writes' data copies.
    private final ReentrantReadWriteLock media = new ReentrantReadWriteLock();

    /**
     * @param faultWindowNanos upper bound of the seeded delay between a fault's lookup and its install (0: none)
     */
    public ThreadedDax(KernelConfig cfg, MediaPort dev, long faultWindowNanos) {
        this.cfg = cfg;
        this.dev = dev;
        this.blockSize = dev.logicalBlockSize();
        this.pageSize = Math.max(ThreadedPageCache.PAGE_SIZE, blockSize);
        this.capacity = dev.capacity();
        this.windowNanos = faultWindowNanos;
        this.mapping = new ThreadedDaxEntries((capacity + pageSize - 1) / pageSize);
    }

    private boolean locking() {
        return cfg.daxFaultLocking() == DaxFaultLocking.ENTRY_LOCK_ACROSS_LOOKUP;
    }

    @Override
    public int cachedPages() {
        return 0;
    }

    /** Mapping entries now (zero pages and blocks). */
    public int entries() {
        return mapping.size();
    }

    /** How many write invalidations waited on an entry a fault held locked (the fix at work). */
    public long invalidationWaits() {
        return mapping.invalidationWaits();
    }

    /** Arms a one-shot gate for the next read fault on the page holding {@code offset}. */
    public DaxFaultGate pauseFault(long offset) {
        long page = offset / pageSize;
        FaultGate g = new FaultGate(page, page * pageSize, gates::remove);
        gates.add(g);
        return g;
    }

    // ------------------------------------------------------------------ read(2), write(2), O_DIRECT

    /** Nothing is cached, so nothing to write back or invalidate ahead of a direct write. */
    @Override
    public void submitted(PathOperation op) {
    }

    @Override
    public void transfer(PathOperation op) throws IOException {
        if (op.kind() == OpKind.WRITE && op.length() > 0) {
            long[] fresh = allocate(op.offset(), op.length());
            for (long page : fresh) {
                mapping.invalidate(page);
            }
            media.readLock().lock();
            try {
                dev.transferToMedia(op);
            } finally {
                media.readLock().unlock();
            }
            return;
        }
        dev.transferToMedia(op);
    }

    /** ->iomap_begin for a write: allocates the holes of the range (zeroed: holes read as zeros). */
    private long[] allocate(long off, long n) {
        int first = (int) (off / pageSize);
        int last = (int) ((off + n - 1) / pageSize);
        long[] fresh = new long[last - first + 1];
        int k = 0;
        synchronized (allocated) {
            for (int p = first; p <= last; p++) {
                if (!allocated.get(p)) {
                    allocated.set(p);
                    fresh[k++] = p;
                }
            }
        }
        return k == fresh.length ? fresh : Arrays.copyOf(fresh, k);
    }

    /** ->iomap_begin for a read fault: the page's block (the block at the page's own offset), or a hole. */
    private int lookup(long page) {
        synchronized (allocated) {
            return allocated.get((int) page) ? (int) page : DaxEntries.NONE;
        }
    }

    // ------------------------------------------------------------------ faults

    /** The read fault of the race Jan Kara described: returns what the page is mapped to after it. */
    private int readFault(long page, String thread) {
        if (!locking()) {
            int block = lookup(page);
            window(page, thread);
            return mapping.install(page, null, block);
        }
        DaxEntries.Entry e = mapping.lock(page);
        boolean installed = false;
        try {
            int block = lookup(page);
            window(page, thread);
            int t = mapping.install(page, e, block);
            installed = true;
            return t;
        } finally {
            if (!installed) {
                mapping.abandon(page, e);
            }
        }
    }

    /** The write fault of a store: allocates a hole and maps the block (replacing a zero page). */
    private void writeFault(long page) {
        DaxEntries.Entry e = locking() ? mapping.lock(page) : null;
        allocate(page * pageSize, 1);
        mapping.install(page, e, (int) page);
    }

    /** The race window between lookup and install: gates first, then the seeded delay. */
    private void window(long page, String thread) {
        for (FaultGate g : gates) {
            if (g.hold(page, thread)) {
                break;
            }
        }
        if (windowNanos > 0) {
            long n = faults.incrementAndGet();
            LockSupport.parkNanos(SeededRandom.below(dev.seed(), n, SeededRandom.DAX_FAULT_WINDOW, windowNanos + 1));
        }
    }

    // ------------------------------------------------------------------ mapped loads and stores

    @Override
    public void loadBytes(long off, byte[] dst, int dstOff, int n, String thread) {
        int blockSize = dev.logicalBlockSize();
        long aStart = off / blockSize * blockSize;
        long aEnd = Math.min(capacity, (off + n + blockSize - 1) / blockSize * blockSize);
        if (aStart != off || aEnd != off + n) {
            // The oracle judges whole blocks: load the blocks whole and hand back the part asked for, so
            // that a stale zero page is caught by a load of one byte too.
            byte[] blocks = new byte[(int) (aEnd - aStart)];
            loadBytes(aStart, blocks, 0, blocks.length, thread);
            System.arraycopy(blocks, (int) (off - aStart), dst, dstOff, n);
            return;
        }
        HistoryOracle o = dev.oracle();
        long token = o == null ? 0 : o.readStarted(off, n, thread);
        long first = off / pageSize;
        long last = (off + n - 1) / pageSize;
        for (long page = first; page <= last; page++) {
            long from = Math.max(off, page * pageSize);
            long to = Math.min(off + n, Math.min(capacity, (page + 1) * pageSize));
            int at = (int) (dstOff + from - off);
            int t = mapping.target(page);
            if (t == DaxEntries.NONE) {
                t = readFault(page, thread);
            }
            if (t == DaxEntries.ZERO_PAGE) {
                Arrays.fill(dst, at, at + (int) (to - from), (byte) 0);
            } else {
                dev.readRaw(from, ByteBuffer.wrap(dst, at, (int) (to - from)));
            }
        }
        if (o != null) {
            o.readCompleted(token, off, ByteBuffer.wrap(dst, dstOff, n), thread);
        }
    }

    @Override
    public void storeBytes(long off, byte[] src, int srcOff, int n, String thread) {
        for (long page = off / pageSize; page <= (off + n - 1) / pageSize; page++) {
            if (mapping.target(page) < 0) {
                writeFault(page);
            }
        }
        long bStart = off / blockSize * blockSize;
        long bEnd = (off + n + blockSize - 1) / blockSize * blockSize;
        byte[] blocks = new byte[(int) (bEnd - bStart)];
        HistoryOracle o = dev.oracle();
        media.writeLock().lock();
        try {
            dev.readRaw(bStart, ByteBuffer.wrap(blocks));
            System.arraycopy(src, srcOff, blocks, (int) (off - bStart), n);
            long id = o == null ? 0 : o.writeSubmitted(bStart, blocks.length, thread);
            if (o != null) {
                // No later than the bytes become readable (a load reads the media without this lock).
                o.writeLanded(id, bStart, ByteBuffer.wrap(blocks));
            }
            dev.writeBack(bStart, blocks);
            if (o != null) {
                o.writeCompleted(id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("DAX store at " + off + " failed", e);
        } finally {
            media.writeLock().unlock();
        }
    }

    /** Stores went to the media: nothing to write back. */
    @Override
    public void syncRange(long off, long n) {
    }

    /** Nothing is cached: nothing to write back. */
    @Override
    public void writebackAll() {
    }

    /** Never set: nothing is written back, so a failed flush is reported to its caller directly. */
    @Override
    public ErrSeq deviceErrors() {
        return noWriteback;
    }

    /**
     * The power is lost: held faults are released and every mapping entry (zero page or block) is
     * dropped, so the next load faults against the media as it is now. Allocation is kept: it is
     * the filesystem's durable block map, and a block allocated later than the crash state reads
     * what the state's media holds there.
     */
    @Override
    public void powerLost() {
        for (FaultGate g : gates) {
            g.release();
        }
        long pages = (capacity + pageSize - 1) / pageSize;
        for (long p = 0; p < pages; p++) {
            mapping.invalidate(p);
        }
    }

    /** Releases held faults so no thread stays parked after the device closed. */
    @Override
    public void close() {
        for (FaultGate g : gates) {
            g.release();
        }
    }
}
