package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.sim.MediaPort;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * One {@link PageCache} (the device's own, or one file's) scheduled by real threads: the page lock is the page's
 * monitor, a fill holds it across the read I/O, and threads wait on it for {@code PG_writeback} to clear. What the
 * oracle and the short-transfer tracker hear is in device offsets: a caller gives the distance from this space's
 * offsets to the device's for the range it passes ({@code delta}), which is constant over one piece of an
 * operation (a file's piece lies in one run of its blocks).
 */
final class ThreadedSpace {

    /** {@link #dirtiedWhen} of a space with no dirty page. */
    static final long CLEAN = Long.MIN_VALUE;

    /** Where a space asks for reclaim after a fill. */
    interface Reclaim {
        void afterFill();
    }

    final PageCache cache;
    private final MediaPort dev;
    private final int pageSize;
    private final int blockSize;
    /** The bytes read-ahead may reach: a file's {@code i_size}, the device's capacity. */
    private final LongSupplier readable;
    private final Reclaim reclaim;
    private final PageCache.GuardFailures guardFailures;
    private final long dmaDelayNanos;
    /** When the space went from clean to dirty ({@code inode->dirtied_when}), {@link #CLEAN} while clean. */
    volatile long dirtiedWhen = CLEAN;

    ThreadedSpace(PageCache cache, MediaPort dev, LongSupplier readable, Reclaim reclaim,
                  PageCache.GuardFailures guardFailures, long dmaDelayNanos) {
        this.cache = cache;
        this.dev = dev;
        this.pageSize = cache.pageSize();
        this.blockSize = cache.space().blockSize();
        this.readable = readable;
        this.reclaim = reclaim;
        this.guardFailures = guardFailures;
        this.dmaDelayNanos = dmaDelayNanos;
    }

    // ------------------------------------------------------------------ reads

    /**
     * Copies {@code n} bytes at space offset {@code off} into {@code out[outOff...]}, reading absent pages in, with
     * the read-ahead of {@code ra} (null: none), which never reaches past {@link #readable}.
     */
    void read(long off, byte[] out, int outOff, int n, Readahead ra) {
        long first = off / pageSize;
        long last = (off + n - 1) / pageSize;
        long limit = Math.min(cache.pageCount(), (readable.getAsLong() + pageSize - 1) / pageSize);
        for (long idx = first; idx <= last; idx++) {
            Page pg = cache.lookup(idx);
            if (ra != null) {
                Readahead.Window w;
                synchronized (ra) {
                    w = ra.onRead(idx, pg != null, pg != null && pg.readaheadMark);
                }
                if (w != null) {
                    if (pg != null) {
                        pg.readaheadMark = false;
                    }
                    for (long i = w.start(); i < w.start() + w.size() && i < limit; i++) {
                        try {
                            fillIfAbsent(i, i == w.mark());
                        } catch (UncheckedIOException e) {
                            // The page this read needs fails it now; the others are read ahead asynchronously:
                            // a failed one leaves the cache, and a read that needs it issues the I/O again.
                            if (i == idx) {
                                throw e;
                            }
                        }
                    }
                }
            }
            long pageOff = idx * pageSize;
            long from = Math.max(off, pageOff);
            long to = Math.min(off + n, pageOff + cache.pageLength(idx));
            while (true) {
                pg = page(idx);
                synchronized (pg) {
                    // A fill that failed while this thread waited on the page lock left the page out of the cache.
                    if (pg.removed && !pg.uptodate) {
                        continue;
                    }
                    System.arraycopy(pg.data, (int) (from - pageOff), out, (int) (outOff + from - off),
                            (int) (to - from));
                    break;
                }
            }
        }
    }

    /** The page, read from the media if it is not cached (the page lock held across the read I/O). */
    Page page(long idx) {
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
        reclaim.afterFill();
        return pg;
    }

    /** Evicts clean, unmapped pages until the pool holds at most {@code target} pages. */
    void evictDownTo(int target) {
        for (Page pg : cache.cached()) {
            if (cache.pool().cachedPages() <= target) {
                return;
            }
            synchronized (pg) {
                cache.evict(pg);
            }
        }
    }

    // ------------------------------------------------------------------ stores

    /**
     * Copies bytes into the cached pages (write() or a mapped store), waiting on writeback where the
     * configuration says so, and tells the oracle under the page monitor, before anyone can read them.
     *
     * @param delta   device offset minus space offset over this range
     * @param writeId the oracle write for write(); 0 for a mapped store (a version per page is made)
     */
    void copyIn(long off, long delta, byte[] src, int srcOff, int n, long writeId, boolean mapped, String thread) {
        HistoryOracle o = dev.oracle();
        long first = off / pageSize;
        long last = (off + n - 1) / pageSize;
        for (long idx = first; idx <= last; idx++) {
            long pageOff = idx * pageSize;
            long from = Math.max(off, pageOff);
            long to = Math.min(off + n, pageOff + cache.pageLength(idx));
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
                    if (dirtiedWhen == CLEAN) {
                        dirtiedWhen = System.nanoTime();
                    }
                    // The bytes are in the file now: a short write's tail written again is not lost.
                    dev.shortTransfers().landed(from + delta,
                            ByteBuffer.wrap(pg.data, (int) (from - pageOff), (int) (to - from)));
                    if (o != null) {
                        long bStart = from / blockSize * blockSize;
                        long bEnd = (to + blockSize - 1) / blockSize * blockSize;
                        ByteBuffer blocks = ByteBuffer.wrap(pg.data, (int) (bStart - pageOff), (int) (bEnd - bStart));
                        if (mapped) {
                            long id = o.writeSubmitted(bStart + delta, bEnd - bStart, thread);
                            o.writeLanded(id, bStart + delta, blocks);
                            o.writeCompleted(id);
                        } else if (writeId != 0) {
                            o.writeLanded(writeId, bStart + delta, blocks);
                        }
                    }
                    break;
                }
            }
        }
    }

    /** Copies cached bytes (reading absent pages in) without telling the oracle: the edges of a block. */
    void peek(long off, byte[] dst, int dstOff, int n) {
        long end = Math.min(off + n, cache.pageCount() * (long) pageSize);
        for (long at = off; at < end; ) {
            long idx = at / pageSize;
            long pageOff = idx * pageSize;
            long to = Math.min(end, pageOff + cache.pageLength(idx));
            Page pg = page(idx);
            synchronized (pg) {
                if (pg.removed && !pg.uptodate) {
                    continue;
                }
                System.arraycopy(pg.data, (int) (at - pageOff), dst, (int) (dstOff + at - off), (int) (to - at));
            }
            at = to;
        }
    }

    static void waitWriteback(Page pg) {
        while (pg.writeback) {
            try {
                pg.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting on page writeback", e);
            }
        }
    }

    // ------------------------------------------------------------------ invalidation and truncation

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

    /**
     * truncate_inode_pages_range over bytes {@code [from, to)} (whole blocks): waits for each page's fill and
     * writeback, then drops what the range covers, dirty or not, without writing it back.
     */
    void truncate(long from, long to) {
        if (from >= to) {
            return;
        }
        long first = from / pageSize;
        long last = Math.min(cache.pageCount(), (to - 1) / pageSize + 1);
        List<Page> pages;
        if (last - first > cache.nrpages()) {
            pages = cache.cached();
        } else {
            pages = new ArrayList<>();
            for (long idx = first; idx < last; idx++) {
                Page pg = cache.lookup(idx);
                if (pg != null) {
                    pages.add(pg);
                }
            }
        }
        for (Page pg : pages) {
            long pageOff = cache.offsetOf(pg);
            if (pg.index < first || pg.index >= last) {
                continue;
            }
            synchronized (pg) {
                waitWriteback(pg);
                int a = (int) Math.max(0, from - pageOff);
                int b = (int) Math.min(pg.data.length, to - pageOff);
                if (cache.truncate(pg, a, b)) {
                    pg.notifyAll();
                }
            }
        }
        if (cache.dirtyPages() == 0) {
            dirtiedWhen = CLEAN;
        }
    }

    /**
     * The power is lost: every page leaves the cache, dirty blocks discarded, nothing written back
     * (as {@link #truncate} over the whole space, which waits for writeback in flight first).
     */
    /**
     * The power is lost: every page goes without writeback, and the mapping's writeback error with it (a rebooted
     * kernel's mapping starts without one).
     */
    void powerLost() {
        truncate(0, cache.pageCount() * (long) pageSize);
        dirtiedWhen = CLEAN;
        cache.errors().reset();
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

    /**
     * Writes back every dirty page. The background flusher skips pages under writeback (WB_SYNC_NONE);
     * data-integrity writeback ({@code sync}: fsync, sync, close) waits for them first.
     *
     * @param delay whether the device takes the pages a DMA delay after their checksums
     */
    void writebackAll(boolean delay, boolean sync) {
        writebackAll(delay, sync, false);
    }

    /**
     * As {@link #writebackAll(boolean, boolean)}; with {@code fail}, the device fails every page this writeback
     * takes (an fsync whose writeback gets EIO).
     *
     * @return the pages whose writeback failed
     */
    int writebackAll(boolean delay, boolean sync, boolean fail) {
        int failed = writeback(cache.cached(), delay, sync, fail);
        // redirty_tail: pages dirtied again meanwhile wait a whole expiry from now.
        dirtiedWhen = cache.dirtyPages() == 0 ? CLEAN : System.nanoTime();
        return failed;
    }

    private void writeback(List<Page> candidates, boolean delay, boolean sync) {
        writeback(candidates, delay, sync, false);
    }

    private int writeback(List<Page> candidates, boolean delay, boolean sync, boolean fail) {
        List<Writeback> flight = new ArrayList<>();
        for (Page pg : candidates) {
            Writeback f = startWriteback(pg, sync);
            if (f != null) {
                flight.add(f);
            }
        }
        if (flight.isEmpty()) {
            return 0;
        }
        if (delay && dmaDelayNanos > 0) {
            LockSupport.parkNanos(dmaDelayNanos);
        }
        int failed = 0;
        for (Writeback f : flight) {
            if (!dma(f, fail)) {
                failed++;
            }
        }
        return failed;
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
    private boolean dma(Writeback f, boolean fail) {
        Page pg = f.page();
        boolean landed = false;
        try {
            if (!fail) {
                cache.land(f, f.source().clone(), guardFailures);
                landed = true;
            }
        } catch (UncheckedIOException e) {
            // The device refused the write (MediaPort.writeBack threw): as a failed bio, the error goes to the mapping.
        } finally {
            if (!landed) {
                cache.writebackFailed(f, ErrSeq.EIO);
            }
            synchronized (pg) {
                cache.endWriteback(pg);
                pg.notifyAll();
            }
        }
        return landed;
    }
}
