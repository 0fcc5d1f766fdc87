package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.IoCaller;
import io.staleguard.device.TimelineEvent.Type;
import io.staleguard.device.sim.kernel.KernelConfig;
import io.staleguard.device.sim.kernel.PartialDirectRead;
import java.util.HashMap;
import java.util.Map;

/**
 * H5: MariaDB on io_uring over btrfs (Filipe Manana, "[PATCH] iomap: fix incomplete async dio reads
 * when using IOMAP_DIO_PARTIAL", 2022-02-28, commit 51bd9563). The file is made of
 * single-block extents. Each round the reader submits a NOWAIT direct read of four extents into a
 * fresh buffer of which only the first page is faulted in; btrfs disables page faults and calls
 * iomap_dio_rw with IOMAP_DIO_PARTIAL. The reader expects full reads: it takes whatever the
 * completion says as the whole read and moves on.
 */
public final class PartialReadWorld extends World {

    static final int EXTENTS = 64;
    static final int PER_READ = 4;
    static final long US = 1_000;
    static final IoCaller CALLER = new IoCaller(1, "mariadb io_uring reader", true);

    enum State { SUBMITTING, QUEUED, WAITING, DONE }

    /** One io_uring read request and its current iomap_dio. */
    static final class Request {
        final long offset;
        final byte[] buffer;
        /** Bytes of the buffer that are faulted in, from its start. */
        long faultedBytes;
        final boolean[] bioInFlight = new boolean[PER_READ];
        final long token;
        State state = State.SUBMITTING;
        int ref = 1;
        long size;
        long doneBefore;
        int nextExtent;
        long cqe = -1;

        Request(long offset, int bs, long token) {
            this.offset = offset;
            this.buffer = new byte[PER_READ * bs];
            this.token = token;
        }
    }

    final KernelConfig cfg;
    final Map<Long, Request> requests = new HashMap<>();
    long nextRid = 1;

    public PartialReadWorld(Sim sim, KernelConfig cfg) {
        super(sim, new KernelStack(cfg, sim, 512, 512, EXTENTS * 512L));
        this.cfg = cfg;
        // The file was written (and fsynced) extent by extent before the reader starts.
        for (int e = 0; e < EXTENTS; e++) {
            long off = (long) e * k.blockSize;
            KernelStack.pattern(k.media, (int) off, k.blockSize, e + 1, off);
            k.visibleVersion(off, k.media, (int) off, k.blockSize, "setup");
        }
    }

    @Override
    public void start() {
        sim.timer(sim.between(US, 5 * US), this::readerNext);
    }

    @Override
    public void finish() {
        k.tracker.finish();
    }

    void readerNext() {
        long group = sim.nextInt(EXTENTS / PER_READ);
        sim.at(0, new Submit(nextRid++, group * PER_READ * (long) k.blockSize));
    }

    boolean waitAndContinue() {
        return cfg.partialDirectRead() == PartialDirectRead.WAIT_AND_CONTINUE;
    }

    /** Submitter's reference dropped: complete now (returning the count) or leave it to the last bio. */
    void dropSubmitterRef(long rid, Request q, String thread) {
        q.ref--;
        if (q.ref == 0) {
            // iomap_dio_complete in the submitter: a positive count returns to btrfs_direct_read.
            if (q.nextExtent < PER_READ) {
                if (sim.capturing()) {
                    sim.event(thread, Type.NOTE, q.offset, PER_READ * (long) k.blockSize, 0, "iomap_dio_rw returns "
                            + (q.doneBefore + q.size) + " synchronously; btrfs faults in the rest and continues");
                }
                q.state = State.SUBMITTING;
                if (sim.live()) {
                    sim.at(sim.between(US, 5 * US), new Continue(rid));
                }
            } else {
                post(rid, q, thread, "completed synchronously");
            }
        } else {
            q.state = State.QUEUED;
            if (sim.capturing()) {
                sim.event(thread, Type.NOTE, q.offset, PER_READ * (long) k.blockSize, 0,
                        "iomap_dio_rw returns -EIOCBQUEUED with " + q.size + " byte(s) in flight");
            }
        }
    }

    void post(long rid, Request q, String thread, String how) {
        q.cqe = q.doneBefore + q.size;
        q.state = State.DONE;
        if (sim.capturing()) {
            sim.event(thread, Type.READ_COMPLETE, q.offset, q.cqe, 0, "io_uring CQE res=" + q.cqe + " of "
                    + PER_READ * k.blockSize + " (" + how + ")");
        }
        if (sim.live()) {
            sim.at(sim.between(US, 5 * US), new Reap(rid));
        }
    }

    void submitBio(long rid, Request q, int i, String thread) {
        q.ref++;
        q.size += k.blockSize;
        q.bioInFlight[i] = true;
        if (sim.capturing()) {
            sim.event(thread, Type.READ_SUBMIT, q.offset + (long) i * k.blockSize, k.blockSize, 0,
                    "extent " + i + ": ->iomap_begin, buffer page " + i + " pinned, bio submitted");
        }
        if (sim.live()) {
            sim.at(sim.between(2 * US, 40 * US), new BioEnd(rid, i));
        }
    }

    /** io_uring submits the read; btrfs_direct_read disables page faults; extent 0 goes out. */
    static final class Submit extends Op {
        final long rid;
        final long offset;

        Submit(long rid, long offset) {
            super("reader");
            this.rid = rid;
            this.offset = offset;
        }

        @Override
        public void apply(World w) {
            PartialReadWorld p = (PartialReadWorld) w;
            KernelStack k = p.k;
            int len = PER_READ * k.blockSize;
            k.tracker.beforeRead(CALLER, thread, offset);
            long token = k.oracle.readStarted(offset, len, thread);
            Request q = new Request(offset, k.blockSize, token);
            // The scenario is MariaDB's 4 KiB extents and pages scaled to 512-byte blocks: a buffer page is one
            // extent's worth, and only the first is faulted in.
            q.faultedBytes = k.blockSize;
            p.requests.put(rid, q);
            if (p.sim.capturing()) {
                p.sim.event(thread, Type.READ_SUBMIT, offset, len, 0, "io_uring readv O_DIRECT IOCB_NOWAIT of "
                        + PER_READ + " single-block extents; only buffer page 0 faulted in; page faults disabled");
            }
            p.submitBio(rid, q, 0, thread);
            q.nextExtent = 1;
            if (p.sim.live()) {
                p.sim.at(p.sim.between(US / 2, 10 * US), new NextExtent(rid, 1));
            }
        }
    }

    /** The next iomap iteration: map the extent, pin the buffer page (or fault: -EFAULT). */
    static final class NextExtent extends Op {
        final long rid;
        final int i;

        NextExtent(long rid, int i) {
            super("reader");
            this.rid = rid;
            this.i = i;
        }

        @Override
        public boolean ready(World w) {
            Request q = ((PartialReadWorld) w).requests.get(rid);
            return q != null && q.state == State.SUBMITTING && q.nextExtent == i;
        }

        @Override
        public void apply(World w) {
            PartialReadWorld p = (PartialReadWorld) w;
            Request q = p.requests.get(rid);
            if (i == PER_READ) {
                p.dropSubmitterRef(rid, q, thread);
                return;
            }
            if (PartialDirectReads.pinsOnlyFaultedPages(0, i + 1L, p.k.blockSize, q.faultedBytes)) {
                p.submitBio(rid, q, i, thread);
                q.nextExtent = i + 1;
                if (p.sim.live()) {
                    p.sim.at(p.sim.between(US / 2, 3 * US), new NextExtent(rid, i + 1));
                }
                return;
            }
            boolean wait = p.waitAndContinue();
            if (p.sim.capturing()) {
                p.sim.event(thread, Type.FAULT, q.offset + (long) i * p.k.blockSize, p.k.blockSize, 0, "extent " + i
                        + ": buffer page " + i + " not faulted in -> -EFAULT; IOMAP_DIO_PARTIAL keeps the "
                        + q.size + " byte(s) done; " + (wait ? "read not at EOF: wait_for_completion = true"
                        : "IOCB_NOWAIT: wait_for_completion stays false"));
            }
            if (wait) {
                q.state = State.WAITING;
                if (p.sim.live()) {
                    p.sim.at(0, new WaitBios(rid));
                }
            } else {
                p.dropSubmitterRef(rid, q, thread);
            }
        }
    }

    /** The fix: the submitter waits for the bios it submitted, then returns the partial count. */
    static final class WaitBios extends Op {
        final long rid;

        WaitBios(long rid) {
            super("reader");
            this.rid = rid;
        }

        @Override
        public boolean ready(World w) {
            Request q = ((PartialReadWorld) w).requests.get(rid);
            return q != null && q.state == State.WAITING && q.ref == 1;
        }

        @Override
        public void apply(World w) {
            PartialReadWorld p = (PartialReadWorld) w;
            p.dropSubmitterRef(rid, p.requests.get(rid), thread);
        }
    }

    /** btrfs_direct_read: fault in the rest of the buffer and call iomap_dio_rw again ("goto again"). */
    static final class Continue extends Op {
        final long rid;

        Continue(long rid) {
            super("reader");
            this.rid = rid;
        }

        @Override
        public boolean ready(World w) {
            Request q = ((PartialReadWorld) w).requests.get(rid);
            return q != null && q.state == State.SUBMITTING && q.ref == 0;
        }

        @Override
        public void apply(World w) {
            PartialReadWorld p = (PartialReadWorld) w;
            Request q = p.requests.get(rid);
            q.faultedBytes = (long) PER_READ * p.k.blockSize;
            q.doneBefore += q.size;
            q.size = 0;
            q.ref = 1;
            if (p.sim.capturing()) {
                p.sim.event(thread, Type.NOTE, q.offset, PER_READ * (long) p.k.blockSize, 0,
                        "fault_in_iov_iter_writeable; iomap_dio_rw again from extent " + q.nextExtent + " (done_before "
                                + q.doneBefore + ")");
            }
            if (p.sim.live()) {
                p.sim.at(p.sim.between(US / 2, 3 * US), new NextExtent(rid, q.nextExtent));
            }
        }
    }

    /** A bio completes: its block lands in the buffer; the last reference completes the request. */
    static final class BioEnd extends Op {
        final long rid;
        final int i;

        BioEnd(long rid, int i) {
            super("irq");
            this.rid = rid;
            this.i = i;
        }

        @Override
        public boolean ready(World w) {
            Request q = ((PartialReadWorld) w).requests.get(rid);
            return q != null && q.bioInFlight[i];
        }

        @Override
        public void apply(World w) {
            PartialReadWorld p = (PartialReadWorld) w;
            KernelStack k = p.k;
            Request q = p.requests.get(rid);
            q.bioInFlight[i] = false;
            System.arraycopy(k.media, (int) (q.offset + (long) i * k.blockSize), q.buffer, i * k.blockSize,
                    k.blockSize);
            q.ref--;
            if (p.sim.capturing()) {
                p.sim.event(thread, Type.READ_COMPLETE, q.offset + (long) i * k.blockSize, k.blockSize, 0,
                        "bio for extent " + i + " completes; dio refcount now " + q.ref);
            }
            if (q.ref == 0 && q.state == State.QUEUED) {
                p.post(rid, q, thread, "iomap_dio_complete_work from the last bio");
            }
        }
    }

    /** The application reaps the CQE and takes its result as the whole read. */
    static final class Reap extends Op {
        final long rid;

        Reap(long rid) {
            super("reader");
            this.rid = rid;
        }

        @Override
        public boolean ready(World w) {
            Request q = ((PartialReadWorld) w).requests.get(rid);
            return q != null && q.state == State.DONE;
        }

        @Override
        public void apply(World w) {
            PartialReadWorld p = (PartialReadWorld) w;
            KernelStack k = p.k;
            Request q = p.requests.remove(rid);
            int len = PER_READ * k.blockSize;
            if (p.sim.capturing()) {
                p.sim.event(thread, Type.NOTE, q.offset, q.cqe, 0, "application reaps res=" + q.cqe
                        + " and uses the buffer as a complete " + len + "-byte read");
            }
            k.tracker.afterRead(CALLER, thread, q.offset, len, q.cqe, false);
            k.checkRead(q.token, q.offset, q.buffer, 0, (int) q.cqe, thread);
            if (p.sim.live()) {
                p.sim.timer(p.sim.between(US, 10 * US), p::readerNext);
            }
        }
    }
}
