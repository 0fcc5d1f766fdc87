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
import io.staleguard.device.sim.kernel.FilePageCache;
import io.staleguard.device.sim.kernel.KernelConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The {@link PageCache} model scheduled by real threads, for a device used by several threads (its
 * {@link MediaPort}). This class decides when the model's steps run (read-ahead per caller, the copy of a buffered
 * write, the invalidations around direct writes per the configuration, the flusher, the kworker); the steps
 * themselves, and every page flag, are the model's, run on one {@link ThreadedSpace} per cache.
 *
 * <p>There is one cache for the device itself (raw-device I/O, unchanged) and one per file of a filesystem kept on
 * the device ({@link #openFile}). An operation on device blocks that a file owns is served by that file's cache:
 * its read-ahead stops at the file's size, its pages leave with the file's blocks ({@code truncate_inode_pages}),
 * and its writeback is the file's own. The device's cache is written back by the flusher every interval, as
 * before; a file's when it has been dirty for longer than the dirty expiry ({@code dirty_expire_centisecs}), when
 * the dirty pages of all caches pass the background threshold ({@code dirty_background_ratio} of the page budget),
 * and on fsync.
 */
public final class ThreadedPageCache implements KernelBackend {

    /** Page size of the cache. */
    public static final int PAGE_SIZE = 4096;
    /** The background writeback threshold, in percent of the page budget (Linux: 10 % of memory). */
    public static final int DIRTY_BACKGROUND_PERCENT = 10;

    private final KernelConfig cfg;
    private final MediaPort dev;
    private final int pageSize;
    private final int blockSize;
    private final long capacity;
    private final int maxPages;
    private final long dmaDelayNanos;
    private final long flushIntervalNanos;
    private final long dirtyExpireNanos;
    private final PagePool pool = new PagePool();
    private final ThreadedSpace device;
    private final FileCaches files = new FileCaches();
    private final InvalidationPolicy policy;
    private final ConcurrentHashMap<Long, Readahead> readahead = new ConcurrentHashMap<>();
    private final LinkedBlockingDeque<long[]> completionList = new LinkedBlockingDeque<>();
    private final PartialDirectReads partialReads;
    private volatile boolean closed;
    private volatile Thread flusher;
    private Thread kworker;

    public ThreadedPageCache(KernelConfig cfg, MediaPort dev, int maxPages, long dmaDelayNanos,
                             long flushIntervalNanos) {
        this(cfg, dev, maxPages, dmaDelayNanos, flushIntervalNanos, 1.0, 30_000_000_000L);
    }

    /**
     * A cache whose asynchronous direct reads find their buffer partly faulted in at {@code unfaultedBufferRate},
     * and whose files' pages wait {@code dirtyExpireNanos} for the periodic flusher.
     */
    public ThreadedPageCache(KernelConfig cfg, MediaPort dev, int maxPages, long dmaDelayNanos,
                             long flushIntervalNanos, double unfaultedBufferRate, long dirtyExpireNanos) {
        this.cfg = cfg;
        this.dev = dev;
        this.blockSize = dev.logicalBlockSize();
        this.pageSize = Math.max(PAGE_SIZE, blockSize);
        this.capacity = dev.capacity();
        PageCache cache = new PageCache(new DeviceAddressSpace(dev), pageSize, cfg.stablePages(), true, pool);
        this.device = new ThreadedSpace(cache, dev, () -> capacity, this::reclaim,
                (wb, m, off, pageOff) -> guardFailed(wb, m, off), dmaDelayNanos);
        this.policy = new InvalidationPolicy(cfg);
        this.maxPages = maxPages;
        this.dmaDelayNanos = dmaDelayNanos;
        this.flushIntervalNanos = flushIntervalNanos;
        this.dirtyExpireNanos = dirtyExpireNanos;
        this.partialReads = new PartialDirectReads(cfg, capacity, blockSize, dev.seed(), unfaultedBufferRate);
    }

    /** The configuration. */
    public KernelConfig config() {
        return cfg;
    }

    /** Pages cached now, in the device's cache and every file's. */
    @Override
    public int cachedPages() {
        return pool.cachedPages();
    }

    /** Page size. */
    public int pageSize() {
        return pageSize;
    }

    /**
     * A page cache for a new file of a filesystem on this device, whose size is {@code size} (read-ahead stops
     * there). The file owns no block until the filesystem maps some.
     */
    public FilePageCache openFile(LongSupplier size) {
        FileCache f = new FileCache(files, size, capacity / blockSize);
        FileAddressSpace space = new FileAddressSpace(f, dev);
        PageCache cache = new PageCache(space, pageSize, cfg.stablePages(), true, pool);
        f.space(new ThreadedSpace(cache, dev, f::size, this::reclaim,
                (wb, m, off, pageOff) -> guardFailed(wb, m, space.deviceOffset(off)), dmaDelayNanos));
        files.add(f);
        return f;
    }

    // ------------------------------------------------------------------ the IoPath entry

    /** Performs an operation at its DMA moment. */
    @Override
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
    @Override
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
        } else if (policy.deferToProcessContext(spaceAt(off).cache)) {
            invalidate(off, n);
        }
    }

    // ------------------------------------------------------------------ routing: which cache serves a range

    /** The cache that serves device byte {@code off}: the file that owns its block, else the device's. */
    private ThreadedSpace spaceAt(long off) {
        BlockRuns owners = files.owners();
        int i = owners.size() == 0 ? -1 : owners.find(off / blockSize);
        return i < 0 ? device : ((FileCache) owners.owner(i)).space();
    }

    /** One piece of a device range that one cache serves. */
    @FunctionalInterface
    private interface Piece {
        /**
         * @param at    the piece's first byte in the space
         * @param delta device offset minus space offset over the piece
         * @param done  bytes of the range before the piece
         */
        void run(ThreadedSpace space, long at, long delta, int done, int len);
    }

    /** Splits device bytes {@code [off, off + n)} into the pieces each cache serves, in order. */
    private void pieces(long off, int n, Piece piece) {
        BlockRuns owners = files.owners();
        if (owners.size() == 0) {
            piece.run(device, off, 0, 0, n);
            return;
        }
        long end = off + n;
        long at = off;
        while (at < end) {
            long block = at / blockSize;
            int i = owners.find(block);
            long stop;
            if (i < 0) {
                long next = owners.nextStart(block);
                stop = next == Long.MAX_VALUE ? end : Math.min(end, next * blockSize);
                piece.run(device, at, 0, (int) (at - off), (int) (stop - at));
            } else {
                stop = Math.min(end, owners.end(i) * blockSize);
                long spaceAt = owners.target(i, block) * blockSize + at % blockSize;
                piece.run(((FileCache) owners.owner(i)).space(), spaceAt, at - spaceAt, (int) (at - off),
                        (int) (stop - at));
            }
            at = stop;
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
        byte[] out = new byte[n];
        Readahead ra = readahead.computeIfAbsent(op.caller().id(), k -> new Readahead(4, 32));
        if (files.owners().size() == 0) {
            device.read(aStart, out, 0, n, ra);
        } else {
            pieces(aStart, n, (space, at, delta, done, len) -> space.read(at, out, done, len, ra));
        }
        HistoryOracle o = dev.oracle();
        if (o != null) {
            o.readCompleted(op.readToken(), aStart, java.nio.ByteBuffer.wrap(out), op.thread());
        }
        op.copyToCaller(out, head);
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
        long writeId = op.writeId();
        String thread = op.thread();
        if (files.owners().size() == 0) {
            device.copyIn(off, 0, src, 0, n, writeId, false, thread);
        } else {
            pieces(off, n, (space, at, delta, done, len) -> space.copyIn(at, delta, src, done, len, writeId, false,
                    thread));
        }
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
        if (n > 0) {
            pieces(off, n, (space, at, delta, done, len) -> space.peek(at, dst, dstOff + done, len));
        }
    }

    /** A mapped store of the device's own cache, with page_mkwrite semantics. */
    @Override
    public void storeBytes(long off, byte[] src, int srcOff, int n, String thread) {
        partialReads.written(off, n);
        device.copyIn(off, 0, src, srcOff, n, 0, true, thread);
        startFlusher();
    }

    /** A mapped load of the device's own cache, checked by the oracle. */
    @Override
    public void loadBytes(long off, byte[] dst, int dstOff, int n, String thread) {
        // Whole blocks, for the oracle (see bufferedRead); the load gets its part.
        long aStart = off / blockSize * blockSize;
        int span = (int) (Math.min(capacity, (off + n + blockSize - 1) / blockSize * blockSize) - aStart);
        byte[] blocks = new byte[span];
        HistoryOracle o = dev.oracle();
        long token = o == null ? 0 : o.readStarted(aStart, span, thread);
        device.read(aStart, blocks, 0, span, null);
        if (o != null) {
            o.readCompleted(token, aStart, java.nio.ByteBuffer.wrap(blocks), thread);
        }
        System.arraycopy(blocks, (int) (off - aStart), dst, dstOff, n);
    }

    /** msync of a range. */
    @Override
    public void syncRange(long off, long n) {
        device.writebackRange(off, n);
    }

    // ------------------------------------------------------------------ invalidation and writeback of a range

    /** invalidate_inode_pages2_range over device bytes, in the caches that serve them. */
    void invalidate(long off, long n) {
        // Twice per direct write: one cache serving the whole range (the usual case) costs no call through Piece.
        BlockRuns owners = files.owners();
        int i = owners.size() == 0 ? -1 : owners.find(off / blockSize);
        if (i < 0 && noFileBefore(owners, off, n)) {
            device.invalidate(off, n);
        } else if (i >= 0 && owners.end(i) * blockSize >= off + n) {
            ((FileCache) owners.owner(i)).space().invalidate(owners.target(i, off / blockSize) * blockSize
                    + off % blockSize, n);
        } else {
            pieces(off, (int) n, (space, at, delta, done, len) -> space.invalidate(at, len));
        }
    }

    /** Whether no file owns a block of {@code [off, off + n)}, for a range whose first block no file owns. */
    private boolean noFileBefore(BlockRuns owners, long off, long n) {
        if (owners.size() == 0) {
            return true;
        }
        long next = owners.nextStart(off / blockSize);
        return next == Long.MAX_VALUE || next * blockSize >= off + n;
    }

    /** filemap_write_and_wait_range over device bytes, in the caches that serve them. */
    void writebackRange(long off, long n) {
        BlockRuns owners = files.owners();
        int i = owners.size() == 0 ? -1 : owners.find(off / blockSize);
        if (i < 0 && noFileBefore(owners, off, n)) {
            device.writebackRange(off, n);
        } else if (i >= 0 && owners.end(i) * blockSize >= off + n) {
            ((FileCache) owners.owner(i)).space().writebackRange(owners.target(i, off / blockSize) * blockSize
                    + off % blockSize, n);
        } else {
            pieces(off, (int) n, (space, at, delta, done, len) -> space.writebackRange(at, len));
        }
    }

    /** sync: writes back every dirty page of every cache and waits for it, after writeback already in flight. */
    @Override
    public void writebackAll() {
        writebackAll(false);
    }

    @Override
    public void writebackAll(boolean fail) {
        device.writebackAll(true, true, fail);
        for (FileCache f : files.files()) {
            f.space().writebackAll(true, true, fail);
        }
    }

    @Override
    public ErrSeq deviceErrors() {
        return device.cache.errors();
    }

    /** drop_caches: every clean, unmapped page of the device's cache and of every file's leaves. */
    @Override
    public void dropCaches() {
        device.evictDownTo(0);
        for (FileCache f : files.files()) {
            f.space().evictDownTo(0);
        }
    }

    /** Reclaim: evicts clean pages of the device's cache, then the files', when the pool is over its budget. */
    private void reclaim() {
        if (pool.cachedPages() <= maxPages) {
            return;
        }
        int target = maxPages * 3 / 4;
        device.evictDownTo(target);
        for (FileCache f : files.files()) {
            if (pool.cachedPages() <= target) {
                return;
            }
            f.space().evictDownTo(target);
        }
    }

    private void guardFailed(Writeback wb, TagMismatch m, long deviceOff) {
        // Who wrote the page back: the flusher, or a thread in fsync, sync or a direct I/O's writeback.
        Thread t = Thread.currentThread();
        String who = t == flusher ? "flusher" : "writeback by " + t.getName();
        dev.recorder().record(Violation.of(m.kind()).at(deviceOff, blockSize, deviceOff / blockSize)
                .saw(m.expectedHex(), m.actualHex())
                .by(wb.bounced() ? who + " (bounced)" : who, List.of())
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
                    device.writebackAll(true, false);
                    if (!files.isEmpty()) {
                        flushFiles();
                    }
                }
            }
        }, "staleguard-flusher");
        flusher.setDaemon(true);
        flusher.start();
    }

    /**
     * wb_writeback for files: those dirty for longer than the expiry ({@code wb_check_old_data_flush}), then,
     * while the pool's dirty pages are over the background threshold, the oldest dirty files
     * ({@code wb_check_background_flush}).
     */
    private void flushFiles() {
        long now = System.nanoTime();
        List<FileCache> dirty = new ArrayList<>();
        for (FileCache f : files.files()) {
            long when = f.space().dirtiedWhen;
            if (when == ThreadedSpace.CLEAN || f.dirtyPages() == 0) {
                continue;
            }
            if (now - when >= dirtyExpireNanos) {
                f.space().writebackAll(true, false);
            } else {
                dirty.add(f);
            }
        }
        long threshold = (long) maxPages * DIRTY_BACKGROUND_PERCENT / 100;
        if (pool.dirtyPages() <= threshold || dirty.isEmpty()) {
            return;
        }
        dirty.sort(Comparator.comparingLong(f -> f.space().dirtiedWhen));
        for (FileCache f : dirty) {
            if (pool.dirtyPages() <= threshold) {
                return;
            }
            f.space().writebackAll(true, false);
        }
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
    @Override
    public void close() {
        stopThreads(1000);
        device.writebackAll(false, true);
        for (FileCache c : files.files()) {
            c.space().writebackAll(false, true);
        }
    }

    /**
     * The power is lost: parks the flusher and the kworker (stopping them, and waiting until a
     * writeback they were in has landed, before the device switches its media), then drops every
     * page of the device's cache and of every file's cache, dirty or not, without writing anything
     * back, with each cache's writeback error ({@link ErrSeq#reset}), and forgets read-ahead state
     * and pending invalidations. The caches stay usable (the
     * filesystem keeps its files' caches) and empty; the threads start again with the next I/O.
     *
     * @throws IllegalStateException if a background thread does not stop within 10 s
     */
    @Override
    public void powerLost() {
        stopThreads(10_000);
        for (Thread t : threads()) {
            if (t != null && t.isAlive()) {
                throw new IllegalStateException("the page cache's " + t.getName() + " thread did not stop within 10 s"
                        + " of the power loss on " + dev.describe());
            }
        }
        device.powerLost();
        for (FileCache c : files.files()) {
            c.space().powerLost();
        }
        readahead.clear();
        completionList.clear();
        synchronized (this) {
            flusher = null;
            kworker = null;
            closed = false;
        }
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
