package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.integrity.TagMismatch;
import io.staleguard.device.sim.PathOperation;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.sim.MediaPort;
import io.staleguard.device.sim.kernel.AsyncWriteCompletion;
import io.staleguard.device.sim.kernel.KernelConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link PageCache} model scheduled by real threads, for a device used by several threads (its
 * {@link MediaPort}): the device is the cache's {@link AddressSpace}, and this class adds what the
 * deterministic scheduler does by running one op at a time: locks, waits and background threads. It
 * decides when the model's steps run (read-ahead per caller, the copy of a buffered write, the
 * invalidations around direct writes per the configuration, the flusher, the kworker); the steps
 * themselves, and every page flag, are the model's.
 *
 * <p>Each page's monitor is its page lock: a read I/O fills a page while holding it (so invalidation
 * and readers wait for the fill), every step on a page runs under it, and threads wait on it for
 * {@code PG_writeback} to clear. The writeback DMA takes a copy of the page without it, as a device
 * reads memory while CPUs store into it.
 */
public final class ThreadedPageCache implements KernelBackend {

    /** Page size of the cache. */
    public static final int PAGE_SIZE = 4096;

    private final KernelConfig cfg;
    private final MediaPort dev;
    private final int pageSize;
    private final int blockSize;
    private final long capacity;
    private final long pageCount;
    private final int maxPages;
    private final long dmaDelayNanos;
    private final long flushIntervalNanos;
    private final PageCache cache;
    private final InvalidationPolicy policy;
    private final PageCache.GuardFailures guardFailures = this::guardFailed;
    private final ConcurrentHashMap<Long, Readahead> readahead = new ConcurrentHashMap<>();
    private final LinkedBlockingDeque<long[]> completionList = new LinkedBlockingDeque<>();
    private final PartialDirectReads partialReads;
    private volatile boolean closed;
    private Thread flusher;
    private Thread kworker;

    public ThreadedPageCache(KernelConfig cfg, MediaPort dev, int maxPages, long dmaDelayNanos,
                             long flushIntervalNanos) {
        this(cfg, dev, maxPages, dmaDelayNanos, flushIntervalNanos, 1.0);
    }

    /** A cache whose asynchronous direct reads find their buffer partly faulted in at {@code unfaultedBufferRate}. */
    public ThreadedPageCache(KernelConfig cfg, MediaPort dev, int maxPages, long dmaDelayNanos,
                             long flushIntervalNanos, double unfaultedBufferRate) {
        this.cfg = cfg;
        this.dev = dev;
        this.blockSize = dev.logicalBlockSize();
        this.pageSize = Math.max(PAGE_SIZE, blockSize);
        this.capacity = dev.capacity();
        this.cache = new PageCache(new DeviceAddressSpace(dev), pageSize, cfg.stablePages(), true);
        this.pageCount = cache.pageCount();
        this.policy = new InvalidationPolicy(cfg);
        this.maxPages = maxPages;
        this.dmaDelayNanos = dmaDelayNanos;
        this.flushIntervalNanos = flushIntervalNanos;
        this.partialReads = new PartialDirectReads(cfg, capacity, blockSize, dev.seed(), unfaultedBufferRate);
    }

    /** The configuration. */
    public KernelConfig config() {
        return cfg;
    }

    /** Pages cached now. */
    public int cachedPages() {
        return cache.nrpages();
    }

    /** Page size. */
    public int pageSize() {
        return pageSize;
    }

    private int pageLen(long idx) {
        return cache.pageLength(idx);
    }

    // ------------------------------------------------------------------ the IoPath entry

    /** Performs an operation at its DMA moment. */
    public void transfer(PathOperation op) throws IOException {
        // H5: writes allocate extents; a NOWAIT direct read may be cut at a buffer page fault.
        partialReads.atDma(op);
        if (op.mode() == IoMode.BUFFERED) {
            if (op.kind() == OpKind.READ) {
                bufferedRead(op);
            } else {
                bufferedWrite(op);
            }
            return;
        }
        if (op.kind() == OpKind.READ) {
            // filemap_write_and_wait_range: a direct read sees what buffered writes left dirty.
            writebackRange(op.offset(), op.length());
            dev.transferToMedia(op);
            return;
        }
        directWrite(op);
    }

    /**
     * At submission: a direct write invalidates its range before its bios go out (the "before" of
     * 65b8291c and bdb76ef5). Pages read ahead between this and the data landing are what only an
     * invalidation after the write removes. For asynchronous writes, 2007 kernels ran the "after"
     * invalidation when the submission returned, also before the data landed (Karl Schendel: "The
     * post-invalidate is probably still too early for async-directio"): the same instant here.
     */
    public void submitted(PathOperation op) {
        if (op.mode() == IoMode.DIRECT && op.kind() == OpKind.WRITE
                && policy.beforeSubmit()) {
            invalidate(op.offset(), op.length());
        }
    }

    private void directWrite(PathOperation op) throws IOException {
        long off = op.offset();
        int n = op.length();
        dev.transferToMedia(op);
        if (!op.isAsync()) {
            if (policy.afterWrite()) {
                invalidate(off, n);
            }
            return;
        }
        if (policy.asyncCompletion() == AsyncWriteCompletion.WORKQUEUE_AFTER_SIGNAL) {
            // The completion is signalled when this returns; the kworker invalidates later.
            policy.queue(completionList, new long[] {off, n});
            startKworker();
        } else if (policy.deferToProcessContext(cache)) {
            invalidate(off, n);
        }
    }

    // ------------------------------------------------------------------ reads

    private void bufferedRead(PathOperation op) {
        long off = op.offset();
        int asked = op.length();
        // The oracle judges whole blocks, so the blocks the read touches are copied out whole (from the
        // same pages) and judged; the caller gets its part. A stale page is caught by a 1-byte read too.
        long aStart = off / blockSize * blockSize;
        int head = (int) (off - aStart);
        int n = (int) (Math.min(capacity, (off + asked + blockSize - 1) / blockSize * blockSize) - aStart);
        off = aStart;
        byte[] out = new byte[n];
        Readahead ra = readahead.computeIfAbsent(op.caller().id(), k -> new Readahead(4, 32));
        long first = off / pageSize;
        long last = (off + n - 1) / pageSize;
        for (long idx = first; idx <= last; idx++) {
            Page pg = cache.lookup(idx);
            Readahead.Window w;
            synchronized (ra) {
                w = ra.onRead(idx, pg != null, pg != null && pg.readaheadMark);
            }
            if (w != null) {
                if (pg != null) {
                    pg.readaheadMark = false;
                }
                for (long i = w.start(); i < w.start() + w.size() && i < pageCount; i++) {
                    fillIfAbsent(i, i == w.mark());
                }
            }
            pg = page(idx);
            long pageOff = idx * pageSize;
            long from = Math.max(off, pageOff);
            long to = Math.min(off + n, pageOff + pageLen(idx));
            synchronized (pg) {
                System.arraycopy(pg.data, (int) (from - pageOff), out, (int) (from - off), (int) (to - from));
            }
        }
        HistoryOracle o = dev.oracle();
        if (o != null) {
            o.readCompleted(op.readToken(), off, ByteBuffer.wrap(out), op.thread());
        }
        op.copyToCaller(out, head);
    }

    /** The page, read from the media if it is not cached (the page lock held across the read I/O). */
    private Page page(long idx) {
        Page pg = cache.lookup(idx);
        return pg != null ? pg : fillIfAbsent(idx, false);
    }

    private Page fillIfAbsent(long idx, boolean mark) {
        Page pg = cache.newLocked(idx, 0);
        synchronized (pg) {
            Page old = cache.insert(pg);
            if (old != pg) {
                return old;
            }
            cache.fill(pg);
            pg.readaheadMark = mark;
        }
        if (cache.nrpages() > maxPages) {
            evict();
        }
        return pg;
    }

    private void evict() {
        for (Page pg : cache.cached()) {
            if (cache.nrpages() <= maxPages * 3L / 4) {
                return;
            }
            synchronized (pg) {
                cache.evict(pg);
            }
        }
    }

    // ------------------------------------------------------------------ writes and stores

    private void bufferedWrite(PathOperation op) {
        long off = op.offset();
        int n = op.length();
        byte[] src = new byte[n];
        op.copyFromCaller(src, 0);
        if (op.capturedAtSubmission()) {
            checkAgainstSubmission(op, src);
        }
        copyIntoPages(off, src, 0, n, op.writeId(), false, op.thread());
        startFlusher();
    }

    /**
     * The copy into the page cache is where a buffered write takes the caller's bytes: if they
     * changed since submission, where the protection information was computed (a buffer reused
     * before an asynchronous write ran, RATIS-2114), the device reports it as it would at DMA.
     */
    private void checkAgainstSubmission(PathOperation op, byte[] src) {
        long off = op.offset();
        int n = src.length;
        long aStart = off / blockSize * blockSize;
        long aEnd = (off + n + blockSize - 1) / blockSize * blockSize;
        int head = (int) (off - aStart);
        byte[] image;
        if (head == 0 && aEnd == off + n) {
            image = src;
        } else {
            image = new byte[(int) (aEnd - aStart)];
            peek(aStart, image, 0, head);
            peek(off + n, image, head + n, (int) (aEnd - off - n));
            System.arraycopy(src, 0, image, head, n);
        }
        dev.checkTakenAgainstSubmission(op, image, head);
    }

    /** Copies cached bytes (reading absent pages in) without telling the oracle: the edges of a block. */
    private void peek(long off, byte[] dst, int dstOff, int n) {
        long end = Math.min(off + n, capacity);
        for (long at = off; at < end; ) {
            long idx = at / pageSize;
            long pageOff = idx * pageSize;
            long to = Math.min(end, pageOff + pageLen(idx));
            Page pg = page(idx);
            synchronized (pg) {
                System.arraycopy(pg.data, (int) (at - pageOff), dst, (int) (dstOff + at - off), (int) (to - at));
            }
            at = to;
        }
    }

    /**
     * Copies bytes into the cached pages (write() or a mapped store), waiting on writeback where the
     * configuration says so, and tells the oracle under the page monitor, before anyone can read them.
     *
     * @param writeId the oracle write for write(); 0 for a mapped store (a version per page is made)
     */
    void copyIntoPages(long off, byte[] src, int srcOff, int n, long writeId, boolean mapped, String thread) {
        HistoryOracle o = dev.oracle();
        long first = off / pageSize;
        long last = (off + n - 1) / pageSize;
        for (long idx = first; idx <= last; idx++) {
            long pageOff = idx * pageSize;
            long from = Math.max(off, pageOff);
            long to = Math.min(off + n, pageOff + pageLen(idx));
            while (true) {
                Page pg = page(idx);
                synchronized (pg) {
                    if (mapped) {
                        if (pg.pte != Page.PTE_RW && cache.mkwriteWaitsOnWriteback()) {
                            waitWriteback(pg);
                        }
                    } else if (cache.writeWaitsOnWriteback()) {
                        waitWriteback(pg);
                    }
                    if (pg.removed) {
                        continue;
                    }
                    if (mapped && pg.pte != Page.PTE_RW) {
                        cache.mkwrite(pg);
                    }
                    System.arraycopy(src, (int) (srcOff + from - off), pg.data, (int) (from - pageOff), (int) (to - from));
                    cache.markDirty(pg, (int) (from - pageOff), (int) (to - pageOff));
                    // The bytes are in the file now: a short write's tail written again is not lost.
                    dev.shortTransfers().landed(from, ByteBuffer.wrap(pg.data, (int) (from - pageOff), (int) (to - from)));
                    if (o != null) {
                        long bStart = from / blockSize * blockSize;
                        long bEnd = (to + blockSize - 1) / blockSize * blockSize;
                        ByteBuffer blocks = ByteBuffer.wrap(pg.data, (int) (bStart - pageOff), (int) (bEnd - bStart));
                        if (mapped) {
                            long id = o.writeSubmitted(bStart, bEnd - bStart, thread);
                            o.writeLanded(id, bStart, blocks);
                            o.writeCompleted(id);
                        } else if (writeId != 0) {
                            o.writeLanded(writeId, bStart, blocks);
                        }
                    }
                    break;
                }
            }
        }
    }

    /** A mapped store: {@link #copyIntoPages} with page_mkwrite semantics. */
    public void storeBytes(long off, byte[] src, int srcOff, int n, String thread) {
        partialReads.written(off, n);
        copyIntoPages(off, src, srcOff, n, 0, true, thread);
        startFlusher();
    }

    /** A mapped load. */
    public void loadBytes(long off, byte[] dst, int dstOff, int n, String thread) {
        load(off, dst, dstOff, n, thread);
    }

    /** msync of a range. */
    public void syncRange(long off, long n) {
        writebackRange(off, n);
    }

    /** Loads bytes through the page cache (a mapped load), checked by the oracle. */
    void load(long off, byte[] dst, int dstOff, int n, String thread) {
        // Whole blocks, for the oracle (see bufferedRead); the load gets its part.
        long aStart = off / blockSize * blockSize;
        int span = (int) (Math.min(capacity, (off + n + blockSize - 1) / blockSize * blockSize) - aStart);
        byte[] blocks = new byte[span];
        HistoryOracle o = dev.oracle();
        long token = o == null ? 0 : o.readStarted(aStart, span, thread);
        long first = aStart / pageSize;
        long last = (aStart + span - 1) / pageSize;
        for (long idx = first; idx <= last; idx++) {
            Page pg = page(idx);
            long pageOff = idx * pageSize;
            long from = Math.max(aStart, pageOff);
            long to = Math.min(aStart + span, pageOff + pageLen(idx));
            synchronized (pg) {
                System.arraycopy(pg.data, (int) (from - pageOff), blocks, (int) (from - aStart), (int) (to - from));
            }
        }
        if (o != null) {
            o.readCompleted(token, aStart, ByteBuffer.wrap(blocks), thread);
        }
        System.arraycopy(blocks, (int) (off - aStart), dst, dstOff, n);
    }

    private static void waitWriteback(Page pg) {
        while (pg.writeback) {
            try {
                pg.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting on page writeback", e);
            }
        }
    }

    // ------------------------------------------------------------------ invalidation

    /** invalidate_inode_pages2_range: waits for fills and writeback, then the model launders and drops. */
    void invalidate(long off, long n) {
        long first = off / pageSize;
        long last = (off + n - 1) / pageSize;
        for (long idx = first; idx <= last; idx++) {
            Page pg = cache.lookup(idx);
            if (pg == null) {
                continue;
            }
            synchronized (pg) {
                waitWriteback(pg);
                if (cache.drop(pg)) {
                    pg.notifyAll();
                }
            }
        }
    }

    // ------------------------------------------------------------------ writeback

    /**
     * filemap_write_and_wait_range: waits for writeback in flight, writes back every dirty page of the
     * range and waits for it (what fsync, msync and direct I/O do first).
     */
    void writebackRange(long off, long n) {
        List<Page> dirty = new ArrayList<>();
        long first = off / pageSize;
        long last = (off + n - 1) / pageSize;
        for (long idx = first; idx <= last; idx++) {
            Page pg = cache.lookup(idx);
            if (pg != null) {
                dirty.add(pg);
            }
        }
        writeback(dirty, false, true);
    }

    /** Writes back every dirty page and waits for it (flush, fsync), after writeback already in flight. */
    public void writebackAll() {
        writeback(cache.cached(), true, true);
    }

    /**
     * Writes back the dirty pages among {@code candidates}. The background flusher skips pages under
     * writeback (WB_SYNC_NONE); data-integrity writeback ({@code sync}) waits for them first.
     */
    private void writeback(List<Page> candidates, boolean delay, boolean sync) {
        List<Writeback> flight = new ArrayList<>();
        for (Page pg : candidates) {
            Writeback f = startWriteback(pg, sync);
            if (f != null) {
                flight.add(f);
            }
        }
        if (flight.isEmpty()) {
            return;
        }
        if (delay && dmaDelayNanos > 0) {
            LockSupport.parkNanos(dmaDelayNanos);
        }
        for (Writeback f : flight) {
            dma(f);
        }
    }

    /** The model's writeback start, under the page lock (data-integrity writeback waits for one in flight). */
    private Writeback startWriteback(Page pg, boolean waitFirst) {
        synchronized (pg) {
            if (waitFirst) {
                waitWriteback(pg);
            }
            return cache.startWriteback(pg);
        }
    }

    /**
     * The device takes the page now: a copy made without the page lock (stores may race with it, as
     * on hardware), which the model verifies and stores; then end_page_writeback wakes the waiters.
     */
    private void dma(Writeback f) {
        Page pg = f.page();
        try {
            cache.land(f, f.source().clone(), guardFailures);
        } finally {
            synchronized (pg) {
                cache.endWriteback(pg);
                pg.notifyAll();
            }
        }
    }

    private void guardFailed(Writeback wb, TagMismatch m, long blockOff, int pageOff) {
        dev.recorder().record(Violation.of(m.kind()).at(blockOff, blockSize, m.lba()).saw(m.expectedHex(), m.actualHex())
                .by(wb.bounced() ? "flusher (bounced)" : "flusher", List.of())
                .detail("the page changed after writeback computed its protection information and before the "
                        + "device took it at DMA (stable pages: " + cfg.stablePages() + ")")
                .timeline(List.of()).build());
    }

    // ------------------------------------------------------------------ background threads

    private synchronized void startFlusher() {
        if (flusher != null || closed) {
            return;
        }
        flusher = new Thread(() -> {
            while (!closed) {
                LockSupport.parkNanos(flushIntervalNanos);
                if (!closed) {
                    writeback(cache.cached(), true, false);
                }
            }
        }, "staleguard-flusher");
        flusher.setDaemon(true);
        flusher.start();
    }

    private synchronized void startKworker() {
        if (kworker != null || closed) {
            return;
        }
        kworker = new Thread(() -> {
            while (!closed) {
                try {
                    long[] first = completionList.pollFirst(10, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    // schedule_work: the kworker runs a little later, then drains the list in its order.
                    LockSupport.parkNanos(dmaDelayNanos);
                    invalidate(first[0], first[1]);
                    long[] next;
                    while ((next = completionList.pollFirst()) != null) {
                        invalidate(next[0], next[1]);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "staleguard-kworker");
        kworker.setDaemon(true);
        kworker.start();
    }

    /** Writes back what is dirty and stops the background threads. */
    public void close() {
        stopThreads(1000);
        writeback(cache.cached(), false, true);
    }

    /**
     * The power is lost: stops the flusher and the kworker (waiting until a writeback they were in
     * has landed, before the device switches its media) and forgets read-ahead state and pending
     * invalidations, writing nothing back. The cache is dead afterwards; the path builds a new one.
     *
     * @throws IllegalStateException if a background thread does not stop within 10 s
     */
    public void powerLost() {
        stopThreads(10_000);
        for (Thread t : threads()) {
            if (t != null && t.isAlive()) {
                throw new IllegalStateException("the page cache's " + t.getName() + " thread did not stop within 10 s"
                        + " of the power loss on " + dev.describe());
            }
        }
        readahead.clear();
        completionList.clear();
    }

    private synchronized Thread[] threads() {
        return new Thread[] {flusher, kworker};
    }

    private void stopThreads(long joinMillis) {
        closed = true;
        for (Thread t : threads()) {
            if (t != null) {
                LockSupport.unpark(t);
                t.interrupt();
                try {
                    t.join(joinMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Counts of violations of a kind, for tests. */
    public long count(ViolationKind kind) {
        return dev.recorder().count(kind);
    }
}
