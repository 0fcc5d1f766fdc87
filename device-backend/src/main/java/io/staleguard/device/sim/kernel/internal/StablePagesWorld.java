package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.TimelineEvent.Type;
import io.staleguard.device.integrity.TagMismatch;
import io.staleguard.device.sim.kernel.KernelConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * H3: Darrick J. Wong's reproducer (Darrick J. Wong, "[RFC] block integrity: Fix write after
 * checksum calculation problem", 2011-02-22). Writer threads {@code write()} small blobs at random
 * offsets of a small file while background writeback runs; in mmap mode a scribbler also stores
 * into a shared mapping of the file. Writeback computes the PI of a page when it submits it; the
 * device verifies it at DMA. A page that changes in between fails the guard check.
 */
public final class StablePagesWorld extends World {

    static final int PAGES = 8;
    static final int WRITERS = 3;
    static final long US = 1_000;

    final KernelConfig cfg;
    final boolean mmap;
    final Map<Long, InFlight> inFlight = new HashMap<>();
    final PageCache.GuardFailures guardFailures = this::guardFailed;
    /** The writeback whose DMA runs now (the op that lands it sets it), and its first failing block. */
    InFlight landing;
    TagMismatch firstFailure;
    long nextWbId = 1;

    /** A writeback in flight, with what the scenario keeps for its report: the checksummed bytes and the instant. */
    record InFlight(Writeback io, byte[] checksummed, long submittedAt) {
    }

    public StablePagesWorld(Sim sim, KernelConfig cfg, boolean mmap) {
        super(sim, new KernelStack(cfg, sim, 512, 512, PAGES * 512L));
        this.cfg = cfg;
        this.mmap = mmap;
    }

    @Override
    public void start() {
        for (int i = 0; i < WRITERS; i++) {
            String name = "writer-" + (i + 1);
            sim.timer(sim.between(US, 20 * US), () -> writerNext(name));
        }
        if (mmap) {
            sim.timer(sim.between(US, 5 * US), this::scribblerNext);
        }
        sim.timer(sim.between(10 * US, 60 * US), this::flusherNext);
        sim.timer(sim.between(5 * US, 30 * US), this::readerNext);
    }

    // ------------------------------------------------------------------ actors (live only)

    void writerNext(String name) {
        int len = 1 + sim.nextInt(64);
        long off = sim.nextInt((int) (k.capacity - len));
        sim.at(0, new BufferedWrite(name, off, len, sim.nextLong()));
    }

    void scribblerNext() {
        int len = 1 + sim.nextInt(8);
        long page = sim.nextInt(PAGES);
        long off = page * k.pageSize + sim.nextInt(k.pageSize - len);
        sim.at(0, new MappedStore(off, len, sim.nextLong()));
    }

    void flusherNext() {
        long delay = 0;
        for (long p = 0; p < PAGES; p++) {
            Page pg = k.cache.lookup(p);
            if (pg != null && pg.dirty && !pg.writeback) {
                delay += sim.between(US / 5, US);
                sim.at(delay, new WritebackStart(p, nextWbId++));
            }
        }
        sim.timer(delay + sim.between(10 * US, 60 * US), this::flusherNext);
    }

    void readerNext() {
        sim.at(0, new BufferedRead(sim.nextInt(PAGES)));
    }

    static void blob(byte[] dst, int off, int len, long seed) {
        long x = seed;
        for (int i = 0; i < len; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            dst[off + i] = (byte) (x >>> 56);
        }
    }

    /** Registers the new content of every block of {@code [off, off+len)} with the oracle. */
    void versions(long off, int len, String thread) {
        long firstBlock = off / k.blockSize;
        long lastBlock = (off + len - 1) / k.blockSize;
        for (long b = firstBlock; b <= lastBlock; b++) {
            long bo = b * k.blockSize;
            Page p = k.cache.lookup(bo / k.pageSize);
            k.visibleVersion(bo, p.data, (int) (bo % k.pageSize), k.blockSize, thread);
        }
    }

    /** A block whose guard failed at the DMA of {@link #landing}. */
    void guardFailed(Writeback io, TagMismatch m, long blockOff, int pageOff) {
        if (firstFailure == null) {
            firstFailure = m;
        }
        k.recordTagMismatch(m, blockOff, landing.checksummed(), io.source(), pageOff, "flusher",
                "the page changed after writeback computed its protection information (t=" + landing.submittedAt()
                        + ") and before the device took it at DMA (t=" + sim.now() + ")");
    }

    boolean waitsInWrite() {
        return k.cache.writeWaitsOnWriteback();
    }

    // ------------------------------------------------------------------ ops

    /** {@code pwrite()} of a small blob: write_begin (maybe waiting on writeback), copy, dirty. */
    static final class BufferedWrite extends Op {
        final long off;
        final int len;
        final long seed;

        BufferedWrite(String thread, long off, int len, long seed) {
            super(thread);
            this.off = off;
            this.len = len;
            this.seed = seed;
        }

        @Override
        public boolean ready(World w) {
            StablePagesWorld s = (StablePagesWorld) w;
            long first = off / s.k.pageSize;
            long last = (off + len - 1) / s.k.pageSize;
            return !s.waitsInWrite() || !s.k.cache.anyWriteback(first, last - first + 1);
        }

        @Override
        public void apply(World w) {
            StablePagesWorld s = (StablePagesWorld) w;
            KernelStack k = s.k;
            byte[] bytes = new byte[len];
            blob(bytes, 0, len, seed);
            boolean underWriteback = false;
            int done = 0;
            while (done < len) {
                long at = off + done;
                Page p = k.cache.readPage(at / k.pageSize);
                int inPage = (int) (at % k.pageSize);
                int n = Math.min(len - done, k.pageSize - inPage);
                underWriteback |= p.writeback;
                System.arraycopy(bytes, done, p.data, inPage, n);
                k.cache.markDirty(p, inPage, inPage + n);
                done += n;
            }
            if (s.sim.capturing()) {
                s.sim.event(thread, Type.WRITE_SUBMIT, off, len, 0, "write() copies " + len + " byte(s) into the page"
                        + (underWriteback ? " while it is under writeback" : ""));
            }
            s.versions(off, len, thread);
            if (s.sim.live()) {
                s.sim.timer(s.sim.between(US, 20 * US), () -> s.writerNext(thread));
            }
        }
    }

    /** A store through the shared mapping; faults into page_mkwrite when the PTE is not writable. */
    static final class MappedStore extends Op {
        final long off;
        final int len;
        final long seed;

        MappedStore(long off, int len, long seed) {
            super("scribbler");
            this.off = off;
            this.len = len;
            this.seed = seed;
        }

        @Override
        public boolean ready(World w) {
            StablePagesWorld s = (StablePagesWorld) w;
            Page p = s.k.cache.lookup(off / s.k.pageSize);
            if (p != null && p.pte == Page.PTE_RW) {
                return true;
            }
            return !s.k.cache.mkwriteWaitsOnWriteback() || p == null || !p.writeback;
        }

        @Override
        public void apply(World w) {
            StablePagesWorld s = (StablePagesWorld) w;
            KernelStack k = s.k;
            Page p = k.cache.readPage(off / k.pageSize);
            if (p.pte != Page.PTE_RW) {
                // Write fault: page_mkwrite marks the page dirty and makes the PTE writable.
                k.cache.mkwrite(p);
                if (s.sim.capturing()) {
                    s.sim.event(thread, Type.FAULT, p.index * k.pageSize, k.pageSize, 0,
                            "write fault -> page_mkwrite" + (p.writeback ? " returns while the page is under writeback"
                                    : "") + "; PTE now writable");
                }
            }
            int inPage = (int) (off % k.pageSize);
            blob(p.data, inPage, len, seed);
            k.cache.markDirty(p, inPage, inPage + len);
            if (s.sim.capturing()) {
                s.sim.event(thread, Type.MAP_STORE, off, len, 0,
                        "store " + len + " byte(s) through the mapping" + (p.writeback ? " (page under writeback)" : ""));
            }
            s.versions(off, len, thread);
            if (s.sim.live()) {
                s.sim.timer(s.sim.between(US / 5, 2 * US), s::scribblerNext);
            }
        }
    }

    /**
     * writepage: lock, clear_page_dirty_for_io (page_mkclean write-protects the mapping), set
     * PG_writeback, unlock, submit; the integrity payload is generated from the page (or its bounce
     * copy) now.
     */
    static final class WritebackStart extends Op {
        final long page;
        final long id;

        WritebackStart(long page, long id) {
            super("flusher");
            this.page = page;
            this.id = id;
        }

        @Override
        public void apply(World w) {
            StablePagesWorld s = (StablePagesWorld) w;
            KernelStack k = s.k;
            Page p = k.cache.lookup(page);
            Writeback io = p == null ? null : k.cache.startWriteback(p);
            if (io == null) {
                return;
            }
            boolean bounce = io.bounced();
            byte[] snapshot = bounce ? io.source() : p.data.clone();
            long off = page * k.pageSize;
            s.inFlight.put(id, new InFlight(io, snapshot, s.sim.now()));
            if (s.sim.capturing()) {
                s.sim.event(thread, Type.WRITEBACK_START, off, k.pageSize, 0,
                        "writeback #" + id + ": clear_page_dirty_for_io (mapping read-only), PG_writeback set, "
                                + (bounce ? "page bounced to a copy, " : "") + "PI computed, bio submitted");
            }
            if (s.sim.live()) {
                s.sim.at(s.sim.between(5 * US, 50 * US), new WritebackDma(id));
            }
        }
    }

    /** The device takes the page (or the bounce copy) and verifies the guard; then end_page_writeback. */
    static final class WritebackDma extends Op {
        final long id;

        WritebackDma(long id) {
            super("dma");
            this.id = id;
        }

        @Override
        public boolean ready(World w) {
            return ((StablePagesWorld) w).inFlight.containsKey(id);
        }

        @Override
        public void apply(World w) {
            StablePagesWorld s = (StablePagesWorld) w;
            KernelStack k = s.k;
            InFlight wb = s.inFlight.remove(id);
            long off = wb.io().page().index() * k.pageSize;
            s.landing = wb;
            s.firstFailure = null;
            k.cache.land(wb.io(), wb.io().source(), s.guardFailures);
            TagMismatch m = s.firstFailure;
            if (s.sim.capturing()) {
                s.sim.event(thread, Type.WRITEBACK_END, off, k.pageSize, 0, "writeback #" + id
                        + ": DMA, device verifies PI " + (m == null ? "ok" : "FAILED (" + m.describe() + ")")
                        + "; end_page_writeback");
            }
            k.cache.endWriteback(wb.io().page());
        }
    }

    /** A buffered read of one page (from the cache, or the media), checked by the oracle. */
    static final class BufferedRead extends Op {
        final long page;

        BufferedRead(long page) {
            super("reader");
            this.page = page;
        }

        @Override
        public void apply(World w) {
            StablePagesWorld s = (StablePagesWorld) w;
            KernelStack k = s.k;
            long off = page * k.pageSize;
            long token = k.oracle.readStarted(off, k.pageSize, thread);
            Page p = k.cache.readPage(page);
            byte[] user = p.data.clone();
            if (s.sim.capturing()) {
                s.sim.event(thread, Type.READ_COMPLETE, off, k.pageSize, 0, "buffered read");
            }
            k.checkRead(token, off, user, 0, k.pageSize, thread);
            if (s.sim.live()) {
                s.sim.timer(s.sim.between(5 * US, 30 * US), s::readerNext);
            }
        }
    }
}
