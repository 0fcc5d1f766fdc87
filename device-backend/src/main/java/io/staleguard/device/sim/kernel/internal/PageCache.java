package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.integrity.ProtectionInformation;
import io.staleguard.device.integrity.TagMismatch;
import io.staleguard.device.sim.kernel.StablePages;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The page cache of one {@link AddressSpace}: the one place where page state lives and changes.
 * Its steps are the kernel's: look a page up, insert it locked for read-ahead, fill it, mark blocks
 * dirty, {@code page_mkwrite}, start writeback ({@code clear_page_dirty_for_io}, which write-protects
 * the mapping, then {@code PG_writeback} and the protection information computed from the page or its
 * bounce copy), land it at DMA (the guard verified against the bytes the device takes), end
 * writeback, launder and drop pages ({@code invalidate_inode_pages2_range}) and evict clean ones.
 *
 * <p>Scheduling is not the cache's: a step never waits. The caller runs a step only when it may
 * (not on a locked page, not on a page under writeback where the kernel would wait), and makes each
 * step atomic with respect to the others on the same page. The deterministic scheduler ({@link Sim})
 * does both by running one op at a time, each op checking its {@link Op#ready} condition first; the
 * threaded path ({@link ThreadedPageCache}) holds the page's monitor across a step and waits on it.
 * The threaded path's page index is safe for concurrent lookups, inserts and removals.
 */
public final class PageCache {

    /** Receives each block whose guard failed when the device took a writeback's bytes. */
    @FunctionalInterface
    public interface GuardFailures {
        /**
         * @param m           the mismatch ({@code m.intervalIndex()} counts from the failing run's start)
         * @param blockOffset the device offset of the failing block
         * @param pageOffset  the offset of the failing block in its page
         */
        void failed(Writeback wb, TagMismatch m, long blockOffset, int pageOffset);
    }

    private final AddressSpace space;
    private final StablePages stablePages;
    private final boolean bounce;
    private final int pageSize;
    private final int blockSize;
    private final int blockShift;
    private final long size;
    private final ProtectionFormat format;
    private final long pageCount;
    private final PageIndex<Page> pages;
    private final PagePool pool;
    /** Dirty pages of this cache, as the flusher and fsync ask: kept by the steps that dirty and clean a page. */
    private final AtomicInteger dirtyPages = new AtomicInteger();
    /** The mapping's writeback error ({@code mapping->wb_err}). */
    private final ErrSeq errors = new ErrSeq();

    /**
     * @param pageSize        a multiple of the space's block size, at most 64 blocks
     * @param stablePages     decides whether writeback bounces the page to a copy before its checksum
     * @param sharedByThreads whether real threads look pages up and insert them concurrently (the
     *                        deterministic scheduler runs one step at a time and needs no atomic index)
     * @throws IllegalArgumentException naming a page size that does not fit the block size
     */
    public PageCache(AddressSpace space, int pageSize, StablePages stablePages, boolean sharedByThreads) {
        this(space, pageSize, stablePages, sharedByThreads, new PagePool());
    }

    /**
     * A cache whose cached and dirty pages also count in {@code pool}, the memory it shares with other caches
     * (the page caches of a device's files: reclaim and the dirty threshold look at them all).
     */
    public PageCache(AddressSpace space, int pageSize, StablePages stablePages, boolean sharedByThreads,
                     PagePool pool) {
        this.space = space;
        this.pool = pool;
        this.blockSize = space.blockSize();
        if (Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size " + blockSize + " is not a power of two");
        }
        this.blockShift = Integer.numberOfTrailingZeros(blockSize);
        if (pageSize % blockSize != 0 || pageSize / blockSize > 64) {
            throw new IllegalArgumentException("page size " + pageSize + " is not a multiple of the block size "
                    + blockSize + " of at most 64 blocks");
        }
        this.pageSize = pageSize;
        this.stablePages = stablePages;
        this.bounce = stablePages == StablePages.BOUNCE_BEFORE_CHECKSUM;
        this.size = space.size();
        this.format = space.protection();
        this.pageCount = (size + pageSize - 1) / pageSize;
        this.pages = sharedByThreads ? PageIndex.concurrent(pageCount) : PageIndex.singleThreaded(pageCount);
    }

    /** The cached address space. */
    public AddressSpace space() {
        return space;
    }

    /** Page size. */
    public int pageSize() {
        return pageSize;
    }

    /** Number of pages of the address space. */
    public long pageCount() {
        return pageCount;
    }

    /** Number of dirty pages. */
    public int dirtyPages() {
        return dirtyPages.get();
    }

    /** The pool this cache's pages count in. */
    public PagePool pool() {
        return pool;
    }

    /** Number of cached pages ({@code mapping->nrpages}). */
    public int nrpages() {
        return pages.size();
    }

    /** The bytes page {@code index} holds (the last page of a space may be short). */
    public int pageLength(long index) {
        return (int) Math.min(pageSize, size - index * pageSize);
    }

    /** The space offset of {@code p}'s first byte. */
    public long offsetOf(Page p) {
        return p.index * pageSize;
    }

    /** The cached page at {@code index}, or null. */
    public Page lookup(long index) {
        return pages.get(index);
    }

    /** The cached pages now, in index order. */
    public List<Page> cached() {
        return pages.values();
    }

    // ---------------------------------------------------------------- insert and fill

    /** A locked, not-uptodate page for {@code index}, owned by read I/O {@code owner}; not cached yet. */
    public Page newLocked(long index, long owner) {
        Page p = new Page(index, pageLength(index));
        p.locked = true;
        p.lockOwner = owner;
        return p;
    }

    /** {@code add_to_page_cache}: caches {@code p}; returns the page now cached at its index ({@code p}, or one already there). */
    public Page insert(Page p) {
        Page old = pages.putIfAbsent(p.index, p);
        if (old == null) {
            pool.cached.incrementAndGet();
            return p;
        }
        return old;
    }

    /** Inserts a locked, not-uptodate page owned by read-ahead request {@code owner} (the index is free). */
    public Page insertLocked(long index, long owner) {
        return insert(newLocked(index, owner));
    }

    /**
     * Completes a read I/O into a locked page: fills it from the space, marks it uptodate, unlocks it. A read I/O
     * that fails leaves the page as {@link #fillFailed} does, and the failure propagates.
     */
    public void fill(Page p) {
        try {
            space.read(offsetOf(p), p.data, 0, p.data.length);
        } catch (RuntimeException e) {
            fillFailed(p);
            throw e;
        }
        p.uptodate = true;
        p.locked = false;
        p.lockOwner = 0;
    }

    /**
     * A read I/O into a locked page failed: the page is unlocked, stays not uptodate and leaves the cache, so a
     * thread that waited on its lock finds it gone and reads it again itself, getting the error if the blocks are
     * still bad ({@code filemap_read_folio}: a page that is not uptodate after its read is an EIO, and the next
     * reader retries the read).
     */
    public void fillFailed(Page p) {
        p.locked = false;
        p.lockOwner = 0;
        p.uptodate = false;
        if (!p.removed) {
            p.removed = true;
            if (pages.remove(p.index, p)) {
                pool.cached.decrementAndGet();
            }
        }
    }

    /** Returns the page at {@code index}, reading it in synchronously if it is not cached. */
    public Page readPage(long index) {
        Page p = pages.get(index);
        if (p == null) {
            p = insert(newLocked(index, 0));
            fill(p);
        }
        return p;
    }

    /** Whether any page of {@code [first, first + count)} is locked (an invalidation would wait). */
    public boolean anyLocked(long first, long count) {
        long end = Math.min(pageCount, first + count);
        for (long i = Math.max(0, first); i < end; i++) {
            Page p = pages.get(i);
            if (p != null && p.locked) {
                return true;
            }
        }
        return false;
    }

    /** Whether any page of {@code [first, first + count)} is under writeback. */
    public boolean anyWriteback(long first, long count) {
        long end = Math.min(pageCount, first + count);
        for (long i = Math.max(0, first); i < end; i++) {
            Page p = pages.get(i);
            if (p != null && p.writeback) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- stores

    /** Bytes {@code [from, to)} of {@code p} were stored into: the page and those blocks are dirty. */
    public void markDirty(Page p, int from, int to) {
        dirty(p);
        p.dirtyBlocks |= blockMask(from, to);
    }

    /** {@code page_mkwrite} on a write fault: the page is dirty and its mapping writable. */
    public void mkwrite(Page p) {
        dirty(p);
        p.pte = Page.PTE_RW;
    }

    private void dirty(Page p) {
        if (!p.dirty) {
            p.dirty = true;
            dirtyPages.incrementAndGet();
            pool.dirty.incrementAndGet();
        }
    }

    private void cleaned(Page p) {
        if (p.dirty) {
            p.dirty = false;
            dirtyPages.decrementAndGet();
            pool.dirty.decrementAndGet();
        }
    }

    /** Whether {@code write()} waits for writeback of the pages it copies into ({@code wait_for_stable_page}). */
    public boolean writeWaitsOnWriteback() {
        return stablePages == StablePages.WAIT_IN_WRITE_ONLY || stablePages == StablePages.WAIT_IN_WRITE_AND_MKWRITE;
    }

    /** Whether {@code page_mkwrite} waits for writeback of the page it makes writable. */
    public boolean mkwriteWaitsOnWriteback() {
        return stablePages == StablePages.WAIT_IN_WRITE_AND_MKWRITE;
    }

    /** The bits of the blocks that bytes {@code [from, to)} of a page touch. */
    long blockMask(int from, int to) {
        int first = from >> blockShift;
        int last = (to - 1) >> blockShift;
        long upper = last >= 63 ? -1L : (1L << (last + 1)) - 1;
        return upper & (-1L << first);
    }

    // ---------------------------------------------------------------- writeback

    /**
     * writepage: {@code clear_page_dirty_for_io} (a writable mapping becomes read-only, so the next
     * store faults into {@code page_mkwrite}), {@code PG_writeback} set, the page bounced to a copy
     * under {@link StablePages#BOUNCE_BEFORE_CHECKSUM}, and the protection information computed from
     * the bytes the device will take.
     *
     * @return the writeback I/O, or null if the page is clean, already under writeback or gone
     */
    public Writeback startWriteback(Page p) {
        if (!p.dirty || p.writeback || p.removed) {
            return null;
        }
        long blocks = p.dirtyBlocks;
        cleaned(p);
        p.dirtyBlocks = 0;
        if (p.pte == Page.PTE_RW) {
            p.pte = Page.PTE_RO;
        }
        p.writeback = true;
        byte[] source = bounce ? p.data.clone() : p.data;
        return new Writeback(p, source, blocks, tuples(source, offsetOf(p)));
    }

    private byte[] tuples(byte[] data, long off) {
        if (!format.enabled()) {
            return null;
        }
        byte[] t = new byte[data.length / blockSize * format.tupleSize()];
        ProtectionInformation.generate(format, ByteBuffer.wrap(data), blockSize, off / blockSize, 0, 0, t, 0);
        return t;
    }

    /**
     * The writeback's DMA: the device takes {@code taken} (the writeback's source as it is at this
     * instant), verifies each dirty run against the tuples computed at submission, reporting every
     * failing block, and stores it. The application tag is not checked: the tuples carry 0, and
     * only the guard (and reference tag) say whether the page changed between checksum and DMA.
     *
     * @return the number of failing blocks
     */
    public int land(Writeback wb, byte[] taken, GuardFailures failures) {
        long off = offsetOf(wb.page());
        int count = taken.length / blockSize;
        long blocks = wb.blocks();
        int failed = 0;
        int i = 0;
        while (i < count) {
            if ((blocks & (1L << i)) == 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < count && (blocks & (1L << i)) != 0) {
                i++;
            }
            int from = start * blockSize;
            int len = (i - start) * blockSize;
            if (wb.tuples() != null) {
                int tuplesOff = start * format.tupleSize();
                long runOff = off + from;
                ByteBuffer run = ByteBuffer.wrap(taken, from, len);
                // The run almost always verifies: one check, and verifyEach's sink (an allocation) only for a failure.
                if (ProtectionInformation.verify(format, run, blockSize, runOff / blockSize, 0, wb.tuples(), tuplesOff,
                        0, 0) != null) {
                    failed += ProtectionInformation.verifyEach(format, run, blockSize, runOff / blockSize, 0,
                            wb.tuples(), tuplesOff, 0, 0,
                            m -> failures.failed(wb, m, runOff + (long) m.intervalIndex() * blockSize,
                                    from + m.intervalIndex() * blockSize));
                }
            }
            space.write(off + from, taken, from, len, wb.tuples(), start * format.tupleSize());
        }
        return failed;
    }

    /** {@code end_page_writeback}. */
    public void endWriteback(Page p) {
        p.writeback = false;
    }

    /**
     * The device failed the writeback {@code wb} ({@code errno}, EIO): nothing of it reached the media. The page
     * stays clean, as {@link #startWriteback} left it, so its data is dropped from what writeback will ever write;
     * it stays cached and uptodate, so reads see the bytes that never landed until the page is evicted (ext4 and
     * XFS since the fsyncgate discussion, "PostgreSQL's handling of fsync() errors is unsafe and risks data loss
     * at least on XFS", Craig Ringer, pgsql-hackers, 2018-03-28); the error goes to the mapping
     * ({@code mapping_set_error}), for every open file to see once at its next fsync. The caller ends writeback.
     */
    public void writebackFailed(Writeback wb, int errno) {
        errors.set(errno);
    }

    /** The mapping's writeback error ({@code mapping->wb_err}). */
    public ErrSeq errors() {
        return errors;
    }

    // ---------------------------------------------------------------- invalidation and eviction

    /**
     * Drops one page ({@code invalidate_inode_pages2_range} for a page the caller holds, not under
     * writeback): a dirty page is laundered first, its mapping is removed, it leaves the cache.
     *
     * @return false if the page had already left the cache
     */
    public boolean drop(Page p) {
        if (p.removed) {
            return false;
        }
        if (p.dirty) {
            launder(p);
        }
        p.removed = true;
        p.pte = Page.PTE_NONE;
        if (pages.remove(p.index, p)) {
            pool.cached.decrementAndGet();
        }
        return true;
    }

    /**
     * {@code truncate_inode_pages_range} on one page, for a caller that holds it and waited for its writeback:
     * bytes {@code [from, to)} (whole blocks) leave the file, so they read as zeros from now on and their dirty
     * blocks are discarded, never written back (the filesystem is about to give their blocks away). A page that
     * loses all its bytes leaves the cache.
     *
     * @return whether the page left the cache
     */
    public boolean truncate(Page p, int from, int to) {
        if (p.removed) {
            return false;
        }
        if (from == 0 && to >= p.data.length) {
            cleaned(p);
            p.dirtyBlocks = 0;
            p.removed = true;
            p.pte = Page.PTE_NONE;
            if (pages.remove(p.index, p)) {
                pool.cached.decrementAndGet();
            }
            return true;
        }
        java.util.Arrays.fill(p.data, from, to, (byte) 0);
        p.dirtyBlocks &= ~blockMask(from, to);
        if (p.dirtyBlocks == 0) {
            cleaned(p);
        }
        return false;
    }

    /**
     * {@code invalidate_inode_pages2_range} over the pages covering bytes {@code [offset, offset + length)},
     * for a caller that runs alone and checked {@link #anyLocked} and writeback first (the kernel
     * waits on both).
     *
     * @return the number of pages dropped
     */
    public int invalidate(long offset, long length) {
        long first = offset / pageSize;
        long last = (offset + length - 1) / pageSize;
        int dropped = 0;
        for (long i = first; i <= last && i < pageCount; i++) {
            Page p = pages.get(i);
            if (p != null && drop(p)) {
                dropped++;
            }
        }
        return dropped;
    }

    /** Writes the dirty blocks of {@code p} to the space synchronously ({@code launder_page}); the page is clean. */
    void launder(Page p) {
        long off = offsetOf(p);
        int count = p.data.length / blockSize;
        int i = 0;
        while (i < count) {
            if ((p.dirtyBlocks & (1L << i)) == 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < count && (p.dirtyBlocks & (1L << i)) != 0) {
                i++;
            }
            space.write(off + (long) start * blockSize, p.data, start * blockSize, (i - start) * blockSize, null, 0);
        }
        cleaned(p);
        p.dirtyBlocks = 0;
    }

    /**
     * Evicts {@code p} if reclaim may: clean, not under writeback, unmapped and uptodate.
     *
     * @return whether it left the cache
     */
    public boolean evict(Page p) {
        if (p.dirty || p.writeback || p.pte != Page.PTE_NONE || !p.uptodate || p.removed) {
            return false;
        }
        p.removed = true;
        if (pages.remove(p.index, p)) {
            pool.cached.decrementAndGet();
        }
        return true;
    }
}
