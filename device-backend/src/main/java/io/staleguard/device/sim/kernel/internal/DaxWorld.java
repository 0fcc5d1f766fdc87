package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.TimelineEvent.Type;
import io.staleguard.device.sim.kernel.DaxFaultLocking;
import io.staleguard.device.sim.kernel.KernelConfig;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * H4: DAX fault vs write (Jan Kara, replying to Ross Zwisler on linux-mm, 2017-04). No page cache:
 * a file on persistent memory whose pages are holes until {@code write(2)} allocates (zeroed)
 * blocks. The mapping-entry cache (the radix tree) holds, per page, an entry for the zero page (a
 * hole) or a block, with a lock bit; user mappings point at what the entry said when they were
 * installed. Mapped readers fault pages in and load them; a writer writes each page of the file
 * once per round, then the file is hole-punched for the next round.
 */
public final class DaxWorld extends World {

    static final int PAGES = 4;
    static final int READERS = 2;
    static final int POOL_BLOCKS = 16;
    static final long US = 1_000;
    static final int HOLE = DaxEntries.NONE;
    static final int UNMAPPED = DaxEntries.NONE;
    static final int ZERO_PAGE = DaxEntries.ZERO_PAGE;

    /** A read fault in progress. */
    static final class Fault {
        final int page;
        boolean locked;
        boolean looked;
        int lookup;

        Fault(int page) {
            this.page = page;
        }
    }

    /** A write(2) in progress. */
    static final class Write {
        final int page;
        final long version;
        final long oracleId;
        boolean isNew;
        boolean invalidated;

        Write(int page, long version, long oracleId) {
            this.page = page;
            this.version = version;
            this.oracleId = oracleId;
        }
    }

    final KernelConfig cfg;
    final byte[] pmem = new byte[POOL_BLOCKS * 512];
    final int[] blockOf = new int[PAGES];
    final boolean[] used = new boolean[POOL_BLOCKS];
    final DaxEntries entries = new DaxEntries(PAGES);
    /** Each reader's page tables: what it mapped at its last fault, until an invalidation unmaps it. */
    final int[][] pte = new int[READERS][PAGES];
    final Fault[] faults = new Fault[READERS];
    Write write;

    // live-only workload state
    int round;
    int[] order;
    int orderPos;

    public DaxWorld(Sim sim, KernelConfig cfg) {
        super(sim, new KernelStack(cfg, sim, 512, 512, PAGES * 512L));
        this.cfg = cfg;
        Arrays.fill(blockOf, HOLE);
        for (int[] r : pte) {
            Arrays.fill(r, UNMAPPED);
        }
    }

    boolean locking() {
        return cfg.daxFaultLocking() == DaxFaultLocking.ENTRY_LOCK_ACROSS_LOOKUP;
    }

    long off(int page) {
        return (long) page * k.pageSize;
    }

    @Override
    public void start() {
        sim.timer(0, this::writerNextRound);
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            sim.timer(sim.between(US, 5 * US), () -> readerNext(reader));
        }
    }

    // ------------------------------------------------------------------ actors (live only)

    void writerNextRound() {
        round++;
        order = new int[PAGES];
        for (int i = 0; i < PAGES; i++) {
            order[i] = i;
        }
        for (int i = PAGES - 1; i > 0; i--) {
            int j = sim.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        orderPos = 0;
        writerNext();
    }

    void writerNext() {
        if (orderPos < PAGES) {
            sim.at(sim.between(US, 15 * US), new WriteAlloc(order[orderPos++]));
        } else {
            sim.at(sim.between(5 * US, 20 * US), new Punch(round));
        }
    }

    void readerNext(int r) {
        int page = sim.nextInt(PAGES);
        if (pte[r][page] != UNMAPPED) {
            sim.at(0, new Load(r, page));
        } else {
            startFault(r, page);
        }
    }

    void startFault(int r, int page) {
        if (locking()) {
            sim.at(0, new FaultLock(r, page));
        } else {
            sim.at(0, new FaultLookup(r, page));
        }
    }

    static String reader(int r) {
        return "reader-" + (r + 1);
    }

    String target(int t) {
        return t == ZERO_PAGE ? "the zero page" : t == UNMAPPED ? "nothing" : "block " + t;
    }

    void unmapAll(int page) {
        for (int[] r : pte) {
            r[page] = UNMAPPED;
        }
    }

    // ------------------------------------------------------------------ fault ops

    /** Jan Kara's order: grab_mapping_entry first, locking the (possibly new, empty) entry. */
    static final class FaultLock extends Op {
        final int r;
        final int page;

        FaultLock(int r, int page) {
            super(reader(r));
            this.r = r;
            this.page = page;
        }

        @Override
        public boolean ready(World w) {
            DaxWorld d = (DaxWorld) w;
            return d.faults[r] == null && !d.entries.isLocked(page);
        }

        @Override
        public void apply(World w) {
            DaxWorld d = (DaxWorld) w;
            d.entries.lock(page);
            Fault f = new Fault(page);
            f.locked = true;
            d.faults[r] = f;
            if (d.sim.capturing()) {
                d.sim.event(thread, Type.FAULT, d.off(page), d.k.pageSize, 0, "read fault: grab_mapping_entry, entry locked");
            }
            if (d.sim.live()) {
                d.sim.at(d.sim.between(US / 5, US), new FaultLookup(r, page));
            }
        }
    }

    /** ->iomap_begin: the fault reads the block mapping (hole or block). */
    static final class FaultLookup extends Op {
        final int r;
        final int page;

        FaultLookup(int r, int page) {
            super(reader(r));
            this.r = r;
            this.page = page;
        }

        @Override
        public boolean ready(World w) {
            DaxWorld d = (DaxWorld) w;
            Fault f = d.faults[r];
            return d.locking() ? f != null && f.page == page && f.locked && !f.looked : f == null;
        }

        @Override
        public void apply(World w) {
            DaxWorld d = (DaxWorld) w;
            Fault f = d.locking() ? d.faults[r] : new Fault(page);
            d.faults[r] = f;
            f.lookup = d.blockOf[page];
            f.looked = true;
            if (d.sim.capturing()) {
                d.sim.event(thread, Type.FAULT, d.off(page), d.k.pageSize, 0, "read fault: ->iomap_begin sees "
                        + (f.lookup == HOLE ? "a hole" : "block " + f.lookup)
                        + (f.locked ? " (entry lock held)" : " (no entry lock held)"));
            }
            if (d.sim.live()) {
                d.sim.at(d.sim.between(US / 2, 8 * US), new FaultInstall(r, page));
            }
        }
    }

    /** grab_mapping_entry / dax_load_hole / dax_insert_mapping: install the entry and map it. */
    static final class FaultInstall extends Op {
        final int r;
        final int page;

        FaultInstall(int r, int page) {
            super(reader(r));
            this.r = r;
            this.page = page;
        }

        @Override
        public boolean ready(World w) {
            DaxWorld d = (DaxWorld) w;
            Fault f = d.faults[r];
            if (f == null || f.page != page || !f.looked) {
                return false;
            }
            // The unlocked path still takes the entry lock briefly here; it waits if someone holds it.
            return f.locked || !d.entries.isLocked(page);
        }

        @Override
        public void apply(World w) {
            DaxWorld d = (DaxWorld) w;
            Fault f = d.faults[r];
            DaxEntries.Entry e = d.entries.grab(page);
            if (d.entries.install(e, f.lookup)) {
                d.unmapAll(page);
            }
            d.pte[r][page] = e.target;
            d.faults[r] = null;
            if (d.sim.capturing()) {
                d.sim.event(thread, Type.FAULT, d.off(page), d.k.pageSize, 0,
                        "read fault: entry -> " + d.target(e.target) + ", mapped into the page tables"
                                + (f.locked ? ", entry unlocked" : ""));
            }
            if (d.sim.live()) {
                d.sim.at(0, new Load(r, page));
            }
        }
    }

    /** A load through the mapping; checked by the oracle like any read. */
    static final class Load extends Op {
        final int r;
        final int page;

        Load(int r, int page) {
            super(reader(r));
            this.r = r;
            this.page = page;
        }

        @Override
        public void apply(World w) {
            DaxWorld d = (DaxWorld) w;
            int t = d.pte[r][page];
            if (t == UNMAPPED) {
                if (d.sim.live()) {
                    d.startFault(r, page);
                }
                return;
            }
            KernelStack k = d.k;
            long off = d.off(page);
            long token = k.oracle.readStarted(off, k.pageSize, thread);
            byte[] user = new byte[k.pageSize];
            if (t != ZERO_PAGE) {
                System.arraycopy(d.pmem, t * k.pageSize, user, 0, k.pageSize);
            }
            if (d.sim.capturing()) {
                d.sim.event(thread, Type.READ_COMPLETE, off, k.pageSize, RingBufferWorld.stamp(user),
                        "load through the mapping from " + d.target(t) + ", saw "
                                + (RingBufferWorld.stamp(user) == 0 ? "zeros" : "v" + RingBufferWorld.stamp(user)));
            }
            k.checkRead(token, off, user, 0, k.pageSize, thread);
            if (d.sim.live()) {
                d.sim.timer(d.sim.between(US, 10 * US), () -> d.readerNext(r));
            }
        }
    }

    // ------------------------------------------------------------------ write ops

    /** write(2) -> dax_iomap_rw -> ->iomap_begin: allocates a zeroed block for a hole. */
    static final class WriteAlloc extends Op {
        final int page;

        WriteAlloc(int page) {
            super("writer");
            this.page = page;
        }

        @Override
        public boolean ready(World w) {
            return ((DaxWorld) w).write == null;
        }

        @Override
        public void apply(World w) {
            DaxWorld d = (DaxWorld) w;
            KernelStack k = d.k;
            long id = k.oracle.writeSubmitted(d.off(page), k.pageSize, thread);
            Write wr = new Write(page, id, id);
            if (d.blockOf[page] == HOLE) {
                int b = 0;
                while (d.used[b]) {
                    b++;
                }
                d.used[b] = true;
                Arrays.fill(d.pmem, b * k.pageSize, (b + 1) * k.pageSize, (byte) 0);
                d.blockOf[page] = b;
                wr.isNew = true;
            }
            d.write = wr;
            if (d.sim.capturing()) {
                d.sim.event(thread, Type.WRITE_SUBMIT, d.off(page), k.pageSize, id, "write(2) into "
                        + (wr.isNew ? "a hole: ->iomap_begin allocates block " + d.blockOf[page] + " (zeroed)"
                        : "block " + d.blockOf[page]));
            }
            if (d.sim.live()) {
                d.sim.at(d.sim.between(US / 2, 8 * US), new WriteInvalidate(page));
            }
        }
    }

    /** dax_iomap_actor: invalidate_inode_pages2_range over the new blocks (waits on locked entries). */
    static final class WriteInvalidate extends Op {
        final int page;

        WriteInvalidate(int page) {
            super("writer");
            this.page = page;
        }

        @Override
        public boolean ready(World w) {
            DaxWorld d = (DaxWorld) w;
            return d.write != null && d.write.page == page && !d.write.invalidated && !d.entries.isLocked(page);
        }

        @Override
        public void apply(World w) {
            DaxWorld d = (DaxWorld) w;
            Write wr = d.write;
            String what = "nothing to invalidate";
            if (wr.isNew) {
                if (d.entries.has(page)) {
                    what = "dropped the entry (" + d.target(d.entries.target(page)) + ") and unmapped it";
                    d.entries.drop(page);
                }
                d.unmapAll(page);
            }
            wr.invalidated = true;
            if (d.sim.capturing()) {
                d.sim.event(thread, Type.INVALIDATE, d.off(page), d.k.pageSize, wr.version,
                        "invalidate_inode_pages2_range: " + what);
            }
            if (d.sim.live()) {
                d.sim.at(d.sim.between(US / 2, 8 * US), new WriteCopy(page));
            }
        }
    }

    /** dax_iomap_actor: copy the data to the block; write(2) returns. */
    static final class WriteCopy extends Op {
        final int page;

        WriteCopy(int page) {
            super("writer");
            this.page = page;
        }

        @Override
        public boolean ready(World w) {
            DaxWorld d = (DaxWorld) w;
            return d.write != null && d.write.page == page && d.write.invalidated;
        }

        @Override
        public void apply(World w) {
            DaxWorld d = (DaxWorld) w;
            KernelStack k = d.k;
            Write wr = d.write;
            int b = d.blockOf[page];
            KernelStack.pattern(d.pmem, b * k.pageSize, k.pageSize, wr.version, d.off(page));
            k.oracle.writeLanded(wr.oracleId, d.off(page), ByteBuffer.wrap(d.pmem, b * k.pageSize, k.pageSize));
            k.oracle.writeCompleted(wr.oracleId);
            d.write = null;
            if (d.sim.capturing()) {
                d.sim.event(thread, Type.WRITE_COMPLETE, d.off(page), k.pageSize, wr.version,
                        "data copied to block " + b + "; write(2) returns");
            }
            if (d.sim.live()) {
                d.writerNext();
            }
        }
    }

    /** Between rounds: punch the whole file back to holes (no fault or write in progress). */
    static final class Punch extends Op {
        final int round;

        Punch(int round) {
            super("writer");
            this.round = round;
        }

        @Override
        public boolean ready(World w) {
            DaxWorld d = (DaxWorld) w;
            if (d.write != null) {
                return false;
            }
            for (Fault f : d.faults) {
                if (f != null) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void apply(World w) {
            DaxWorld d = (DaxWorld) w;
            KernelStack k = d.k;
            d.entries.clear();
            for (int[] r : d.pte) {
                Arrays.fill(r, UNMAPPED);
            }
            Arrays.fill(d.used, false);
            Arrays.fill(d.blockOf, HOLE);
            long id = k.oracle.writeSubmitted(0, k.capacity, thread);
            k.oracle.writeLanded(id, 0, ByteBuffer.wrap(new byte[(int) k.capacity]));
            k.oracle.writeCompleted(id);
            if (d.sim.capturing()) {
                d.sim.event(thread, Type.NOTE, 0, k.capacity, 0, "end of round " + round
                        + ": punch the whole file back to holes (entries dropped, mappings removed)");
            }
            if (d.sim.live()) {
                d.sim.timer(d.sim.between(US, 5 * US), d::writerNextRound);
            }
        }
    }
}
