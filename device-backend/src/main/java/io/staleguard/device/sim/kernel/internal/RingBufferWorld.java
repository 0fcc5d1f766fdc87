package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.TimelineEvent.Type;
import io.staleguard.device.sim.kernel.AsyncWriteCompletion;
import io.staleguard.device.sim.kernel.KernelConfig;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * H1 and H2: Karl Schendel's ring buffer (Jeff Moyer, "[patch] aio: invalidate async directio
 * writes", 2008-06-18, commits 65b8291c and bdb76ef5). A direct writer fills the pages of a file in
 * order, wrapping around; a buffered reader reads each page once its write has completed, with
 * read-ahead on, so read-ahead runs ahead of the reader into pages the writer is writing. With
 * {@code async} the writer uses AIO with a queue depth and completions come from the interrupt, a
 * kworker or process context per {@link AsyncWriteCompletion} (the aio-dio-invalidate-readahead
 * pattern of Jeff Moyer's thread and of Lukas Czerner, "fs: Fix page cache inconsistency when
 * mixing buffered and AIO DIO", 2017).
 */
public final class RingBufferWorld extends World {

    static final int PAGES = 64;
    static final int QUEUE_DEPTH = 4;
    static final int RA_INITIAL = 4;
    static final int RA_MAX = 32;
    static final long US = 1_000;

    final boolean async;
    final KernelConfig cfg;
    final InvalidationPolicy policy;
    final Readahead ra = new Readahead(RA_INITIAL, RA_MAX);
    final Map<Long, DioWrite> writes = new HashMap<>();
    /** Per page, the absolute sequence number of the last write whose completion was signalled. */
    final long[] completedSeq = new long[PAGES];
    /** Deferred completions queued by the interrupt handler (the global completion list). */
    final ArrayDeque<Long> completionList = new ArrayDeque<>();
    /** The kworker's private list (spliced from the completion list). */
    final ArrayDeque<Long> kworkerBatch = new ArrayDeque<>();
    boolean workPending;
    long pendingReadIndex = -1;
    long pendingReadToken;

    // live-only workload state
    long nextWrite;
    long nextRead;
    long consumed;
    int inflight;
    long nextRaId = 1;
    boolean writerWaiting;
    boolean readerWaiting;

    /** One direct write: its page, the user buffer, the tuples computed at submission. */
    static final class DioWrite {
        final long seq;
        final int page;
        final byte[] buffer;
        final byte[] tuples;
        final long oracleId;
        boolean landed;
        boolean signalled;
        /** AIO: io_submit returned (its too-early invalidation ran). */
        boolean returned;
        /** WORKQUEUE_AFTER_SIGNAL: the kworker's invalidation is still to run. */
        boolean invalidationPending;

        DioWrite(long seq, int page, byte[] buffer, byte[] tuples, long oracleId) {
            this.seq = seq;
            this.page = page;
            this.buffer = buffer;
            this.tuples = tuples;
            this.oracleId = oracleId;
        }
    }

    public RingBufferWorld(Sim sim, KernelConfig cfg, boolean async) {
        super(sim, new KernelStack(cfg, sim, 512, 512, PAGES * 512L));
        this.cfg = cfg;
        this.policy = new InvalidationPolicy(cfg);
        this.async = async;
        java.util.Arrays.fill(completedSeq, -1);
    }

    long off(int page) {
        return (long) page * k.pageSize;
    }

    @Override
    public void start() {
        sim.timer(0, this::writerNext);
        sim.timer(sim.between(1 * US, 10 * US), this::readerNext);
    }

    // ------------------------------------------------------------------ actors (live only)

    void writerNext() {
        boolean room = nextWrite - consumed < PAGES - 1;
        boolean depth = !async || inflight < QUEUE_DEPTH;
        if (room && depth) {
            long seq = nextWrite++;
            sim.at(sim.between(1 * US, 20 * US), new WriteSubmit(seq, (int) (seq % PAGES)));
        } else {
            // Blocked on ring space or queue depth: woken by the reader's progress or a completion.
            writerWaiting = true;
        }
    }

    void wakeWriter() {
        if (writerWaiting) {
            writerWaiting = false;
            sim.timer(sim.between(US / 2, 2 * US), this::writerNext);
        }
    }

    void wakeReader() {
        if (readerWaiting) {
            readerWaiting = false;
            sim.timer(sim.between(US / 2, 5 * US), this::readerNext);
        }
    }

    void readerNext() {
        long m = nextRead;
        int page = (int) (m % PAGES);
        if (completedSeq[page] >= m) {
            nextRead++;
            sim.at(sim.between(1 * US, 10 * US), new ReadStart(m, page));
        } else {
            // Waits for the completion of the write of page m (io_getevents / the pwrite returning).
            readerWaiting = true;
        }
    }

    // ------------------------------------------------------------------ writer side

    /** The direct write's submission: pre-invalidation, PI generated from the user buffer, bio submitted. */
    static final class WriteSubmit extends Op {
        final long seq;
        final int page;

        WriteSubmit(long seq, int page) {
            super("writer");
            this.seq = seq;
            this.page = page;
        }

        @Override
        public boolean ready(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            return !r.policy.beforeSubmit() || !r.k.cache.anyLocked(page, 1);
        }

        @Override
        public void apply(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            KernelStack k = r.k;
            long off = r.off(page);
            long id = k.oracle.writeSubmitted(off, k.pageSize, thread);
            if (r.policy.beforeSubmit()) {
                k.invalidate(off, k.pageSize, thread, "invalidate before direct write %v", id);
            }
            byte[] buf = new byte[k.pageSize];
            KernelStack.pattern(buf, 0, buf.length, id, off);
            byte[] t = k.generatePi(buf, 0, off);
            r.writes.put(seq, new DioWrite(seq, page, buf, t, id));
            if (r.sim.capturing()) {
                r.sim.event(thread, Type.WRITE_SUBMIT, off, k.pageSize, id,
                        (r.async ? "io_submit O_DIRECT" : "pwrite O_DIRECT") + ", PI generated, bio submitted");
            }
            if (r.sim.live()) {
                r.sim.at(r.sim.between(5 * US, 50 * US), new Dma(seq));
                if (r.async) {
                    r.inflight++;
                    r.sim.at(r.sim.between(US / 5, 2 * US), new SubmitReturn(seq));
                }
            }
        }
    }

    /**
     * AIO only: {@code generic_file_direct_write} returns -EIOCBQUEUED and runs its "after"
     * invalidation now, before the data landed ("probably still too early for async-directio").
     */
    static final class SubmitReturn extends Op {
        final long seq;

        SubmitReturn(long seq) {
            super("writer");
            this.seq = seq;
        }

        @Override
        public boolean ready(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            DioWrite d = r.writes.get(seq);
            return d != null && !d.returned
                    && (!r.policy.afterWrite() || !r.k.cache.anyLocked(d.page, 1));
        }

        @Override
        public void apply(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            DioWrite d = r.writes.get(seq);
            if (r.policy.afterWrite()) {
                r.k.invalidate(r.off(d.page), r.k.pageSize, thread,
                        "invalidate after submitting %v (io_submit returns; data "
                                + (d.landed ? "already landed)" : "not landed yet)"), d.oracleId);
            }
            d.returned = true;
            r.retireIfDone(d);
            if (r.sim.live()) {
                r.sim.timer(0, r::writerNext);
            }
        }
    }

    /** The device takes the user buffer (DMA) and verifies its PI; the data is now on the media. */
    static final class Dma extends Op {
        final long seq;

        Dma(long seq) {
            super("dma");
            this.seq = seq;
        }

        @Override
        public boolean ready(World w) {
            DioWrite d = ((RingBufferWorld) w).writes.get(seq);
            return d != null && !d.landed;
        }

        @Override
        public void apply(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            DioWrite d = r.writes.get(seq);
            KernelStack k = r.k;
            long off = r.off(d.page);
            k.landDirect(d.buffer, 0, off, k.pageSize, d.tuples, "writer", "direct write buffer changed in flight");
            k.oracle.writeLanded(d.oracleId, off, java.nio.ByteBuffer.wrap(d.buffer));
            d.landed = true;
            if (r.sim.capturing()) {
                r.sim.event(thread, Type.WRITE_LAND, off, k.pageSize, d.oracleId, "DMA: data on media, PI verified");
            }
            if (r.sim.live()) {
                if (r.async) {
                    r.sim.at(r.sim.between(US, 3 * US), new Irq(seq));
                } else {
                    r.sim.at(r.sim.between(US, 5 * US), new SyncWriteReturn(seq));
                }
            }
        }
    }

    /** Sync only: the writer wakes, runs the "after" invalidation (if any) and returns from pwrite. */
    static final class SyncWriteReturn extends Op {
        final long seq;

        SyncWriteReturn(long seq) {
            super("writer");
            this.seq = seq;
        }

        @Override
        public boolean ready(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            DioWrite d = r.writes.get(seq);
            return d != null && d.landed && !d.signalled
                    && (!r.policy.afterWrite() || !r.k.cache.anyLocked(d.page, 1));
        }

        @Override
        public void apply(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            DioWrite d = r.writes.get(seq);
            if (r.policy.afterWrite()) {
                r.k.invalidate(r.off(d.page), r.k.pageSize, thread, "invalidate after direct write %v", d.oracleId);
            }
            r.signal(d, thread, "pwrite returns");
            if (r.sim.live()) {
                r.sim.timer(0, r::writerNext);
            }
        }
    }

    void signal(DioWrite d, String thread, String how) {
        k.oracle.writeCompleted(d.oracleId);
        d.signalled = true;
        completedSeq[d.page] = Math.max(completedSeq[d.page], d.seq);
        retireIfDone(d);
        if (sim.capturing()) {
            sim.event(thread, Type.WRITE_COMPLETE, off(d.page), k.pageSize, d.oracleId, how);
        }
        if (sim.live()) {
            if (async) {
                inflight--;
            }
            wakeReader();
            wakeWriter();
        }
    }

    /** Forgets a write once nothing refers to it any more. */
    void retireIfDone(DioWrite d) {
        if (d.signalled && (!async || d.returned) && !d.invalidationPending) {
            writes.remove(d.seq);
        }
    }

    /** AIO: the bio's end_io in interrupt context. */
    static final class Irq extends Op {
        final long seq;

        Irq(long seq) {
            super("irq");
            this.seq = seq;
        }

        @Override
        public boolean ready(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            DioWrite d = r.writes.get(seq);
            return d != null && d.landed && !d.signalled && !r.completionList.contains(seq)
                    && !r.kworkerBatch.contains(seq);
        }

        @Override
        public void apply(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            DioWrite d = r.writes.get(seq);
            switch (r.policy.asyncCompletion()) {
                case IRQ_NO_INVALIDATE -> r.signal(d, thread, "aio_complete in irq context, no invalidation");
                case WORKQUEUE_AFTER_SIGNAL -> {
                    d.invalidationPending = true;
                    r.signal(d, thread, "aio_complete in irq context; invalidation queued to the workqueue");
                    r.queueCompletion(seq, thread);
                }
                case PROCESS_CONTEXT_BEFORE_SIGNAL -> {
                    if (r.policy.deferToProcessContext(r.k.cache)) {
                        r.queueCompletion(seq, thread);
                    } else {
                        r.signal(d, thread, "aio_complete in irq context (no cached pages)");
                    }
                }
            }
        }
    }

    void queueCompletion(long seq, String thread) {
        policy.queue(completionList, seq);
        if (sim.capturing()) {
            DioWrite d = writes.get(seq);
            sim.event(thread, Type.NOTE, off(d.page), k.pageSize, d.oracleId,
                    (policy.lifo() ? "list_add" : "list_add_tail")
                            + " to the completion list; schedule_work");
        }
        if (!workPending && sim.live()) {
            workPending = true;
            sim.at(sim.between(2 * US, 60 * US), new KworkerRun());
        }
    }

    /** The kworker starts the completion work: splices the global list into its private batch. */
    static final class KworkerRun extends Op {
        KworkerRun() {
            super("kworker");
        }

        @Override
        public boolean ready(World w) {
            return ((RingBufferWorld) w).kworkerBatch.isEmpty();
        }

        @Override
        public void apply(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            r.workPending = false;
            r.kworkerBatch.addAll(r.completionList);
            r.completionList.clear();
            if (r.sim.capturing()) {
                r.sim.event(thread, Type.NOTE, 0, 0, 0, "kworker runs the completion work: " + r.kworkerBatch.size()
                        + " item(s) in list order " + r.kworkerBatch.stream().map(s -> "v" + r.writes.get(s).oracleId).toList());
            }
            if (r.sim.live() && !r.kworkerBatch.isEmpty()) {
                r.sim.at(r.sim.between(US, 3 * US), new KworkerItem(r.kworkerBatch.peekFirst()));
            }
        }
    }

    /** One item of the kworker's batch: invalidate the write's range, then (process context) signal. */
    static final class KworkerItem extends Op {
        final long seq;

        KworkerItem(long seq) {
            super("kworker");
            this.seq = seq;
        }

        @Override
        public boolean ready(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            DioWrite d = r.writes.get(seq);
            return d != null && r.kworkerBatch.contains(seq) && !r.k.cache.anyLocked(d.page, 1);
        }

        @Override
        public void apply(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            DioWrite d = r.writes.get(seq);
            r.kworkerBatch.remove(seq);
            if (r.policy.asyncCompletion() == AsyncWriteCompletion.WORKQUEUE_AFTER_SIGNAL) {
                r.k.invalidate(r.off(d.page), r.k.pageSize, thread,
                        "workqueue invalidation for %v (completion already signalled)", d.oracleId);
                d.invalidationPending = false;
                r.retireIfDone(d);
            } else {
                r.k.invalidate(r.off(d.page), r.k.pageSize, thread,
                        "dio_complete invalidation for %v before aio_complete", d.oracleId);
                r.signal(d, thread, "aio_complete in process context");
            }
            if (r.sim.live() && !r.kworkerBatch.isEmpty()) {
                r.sim.at(r.sim.between(US, 3 * US), new KworkerItem(r.kworkerBatch.peekFirst()));
            }
        }
    }

    // ------------------------------------------------------------------ reader side

    /** The buffered read starts: the oracle notes the instant; read-ahead decides what to read. */
    static final class ReadStart extends Op {
        final long m;
        final int page;

        ReadStart(long m, int page) {
            super("reader");
            this.m = m;
            this.page = page;
        }

        @Override
        public boolean ready(World w) {
            return ((RingBufferWorld) w).pendingReadIndex < 0;
        }

        @Override
        public void apply(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            KernelStack k = r.k;
            long off = r.off(page);
            r.pendingReadToken = k.oracle.readStarted(off, k.pageSize, thread);
            r.pendingReadIndex = m;
            if (r.sim.capturing()) {
                r.sim.event(thread, Type.READ_SUBMIT, off, k.pageSize, 0, "buffered read (lap " + (m / PAGES) + ")");
            }
            if (r.sim.live()) {
                Page p = k.cache.lookup(page);
                Readahead.Window win = r.ra.onRead(page, p != null, p != null && p.readaheadMark);
                if (win != null) {
                    r.sim.at(0, new RaSubmit(r.nextRaId++, win.start(), win.size(), win.mark(), page,
                            win.synchronous()));
                }
                r.sim.at(0, new ReadCopy(m, page));
            }
        }
    }

    /** Read-ahead submission: inserts locked pages for the window and submits one read I/O. */
    static final class RaSubmit extends Op {
        final long raId;
        final long start;
        final int size;
        final long mark;
        final int trigger;
        final boolean sync;

        RaSubmit(long raId, long start, int size, long mark, int trigger, boolean sync) {
            super("reader");
            this.raId = raId;
            this.start = start;
            this.size = size;
            this.mark = mark;
            this.trigger = trigger;
            this.sync = sync;
        }

        @Override
        public void apply(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            KernelStack k = r.k;
            Page t = k.cache.lookup(trigger);
            if (t != null) {
                t.readaheadMark = false;
            }
            long end = Math.min(start + size, k.cache.pageCount());
            int inserted = 0;
            for (long i = start; i < end; i++) {
                if (k.cache.lookup(i) == null) {
                    Page p = k.cache.insertLocked(i, raId);
                    p.readaheadMark = i == mark;
                    inserted++;
                }
            }
            if (r.sim.capturing()) {
                r.sim.event(thread, Type.READAHEAD, start * k.pageSize, (end - start) * k.pageSize, 0,
                        (sync ? "sync" : "async") + " read-ahead #" + raId + ": window " + size + " page(s), "
                                + inserted + " inserted locked");
            }
            if (r.sim.live() && inserted > 0) {
                r.sim.at(r.sim.between(5 * US, 50 * US), new RaDone(raId, start, (int) (end - start)));
            }
        }
    }

    /** The read-ahead I/O completes: its pages are filled from the media as it is now and unlocked. */
    static final class RaDone extends Op {
        final long raId;
        final long start;
        final int size;

        RaDone(long raId, long start, int size) {
            super("irq");
            this.raId = raId;
            this.start = start;
            this.size = size;
        }

        @Override
        public void apply(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            KernelStack k = r.k;
            RunText seen = r.sim.capturing() ? new RunText() : null;
            for (long i = start; i < start + size; i++) {
                Page p = k.cache.lookup(i);
                if (p != null && p.locked && p.lockOwner == raId) {
                    k.cache.fill(p);
                    if (seen != null) {
                        seen.add(i, stamp(p.data));
                    }
                }
            }
            if (seen != null) {
                r.sim.event(thread, Type.READAHEAD, start * k.pageSize, (long) size * k.pageSize, 0,
                        "read-ahead #" + raId + " I/O done, pages filled from media: " + seen);
            }
        }
    }

    /** The reader copies the page to its buffer (reading it from the media if it is not cached). */
    static final class ReadCopy extends Op {
        final long m;
        final int page;

        ReadCopy(long m, int page) {
            super("reader");
            this.m = m;
            this.page = page;
        }

        @Override
        public boolean ready(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            if (r.pendingReadIndex != m) {
                return false;
            }
            Page p = r.k.cache.lookup(page);
            return p == null || p.uptodate;
        }

        @Override
        public void apply(World w) {
            RingBufferWorld r = (RingBufferWorld) w;
            KernelStack k = r.k;
            boolean hit = k.cache.lookup(page) != null;
            Page p = k.cache.readPage(page);
            long off = r.off(page);
            byte[] user = p.data.clone();
            if (r.sim.capturing()) {
                r.sim.event(thread, Type.READ_COMPLETE, off, k.pageSize, stamp(user),
                        (hit ? "served from the page cache" : "page not cached: read from media") + ", saw v"
                                + stamp(user));
            }
            r.pendingReadIndex = -1;
            k.checkRead(r.pendingReadToken, off, user, 0, k.pageSize, thread);
            if (r.sim.live()) {
                r.consumed = m + 1;
                r.wakeWriter();
                r.sim.timer(r.sim.between(1 * US, 10 * US), r::readerNext);
            }
        }
    }

    /** "p3=v0, p4-p9=v12": pages and the version each was filled with, runs collapsed. */
    static final class RunText {
        private final StringBuilder b = new StringBuilder();
        private long runStart = -1;
        private long runEnd;
        private long runVersion;

        void add(long page, long version) {
            if (runStart >= 0 && page == runEnd + 1 && version == runVersion) {
                runEnd = page;
                return;
            }
            flush();
            runStart = page;
            runEnd = page;
            runVersion = version;
        }

        private void flush() {
            if (runStart < 0) {
                return;
            }
            b.append(b.length() == 0 ? "" : ", ").append('p').append(runStart);
            if (runEnd > runStart) {
                b.append("-p").append(runEnd);
            }
            b.append("=v").append(runVersion);
        }

        @Override
        public String toString() {
            flush();
            runStart = -1;
            return b.length() == 0 ? "none (all pages dropped meanwhile)" : b.toString();
        }
    }

    static long stamp(byte[] data) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[i] & 0xFF);
        }
        return v;
    }
}
