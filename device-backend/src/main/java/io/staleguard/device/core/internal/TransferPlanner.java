package io.staleguard.device.core.internal;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.core.DeviceSettings;
import io.staleguard.device.hooks.DeviceHooks;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.integrity.ProtectionInformation;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.IoConsistencyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Submission, on the calling thread: numbers the operation, decides its DMA delay and how many
 * bytes it transfers (end of device, the per-call maximum, a seeded short transfer), tells the
 * oracle, and for a write whose data is taken later copies the caller's bytes into a snapshot
 * and generates the protection information of every fully covered block from it. That is the
 * host-side generation of DIX: from the buffer as it is <em>now</em>. A synchronous write with no
 * delay and no hook armed takes its data once, at landing, and skips the snapshot. An injected write fault
 * fails the write here, before the oracle knows it, or cuts it short (ENOSPC, partial progress).
 */
final class TransferPlanner {

    private final CoreState s;
    private final DeviceSettings settings;
    private final DeviceHooks hooks;
    private final OperationFactory factory;
    private final ByteArrayPool pool;
    private final int blockSize;
    private final int blockShift;
    private final long capacity;
    private final long seed;
    private final boolean piEnabled;
    private final int tupleSize;
    private final boolean delays;
    private final FaultPoint faults;
    private final AtomicLong sequence = new AtomicLong();
    private final LongAdder operations = new LongAdder();

    TransferPlanner(CoreState state, DeviceHooks hooks, OperationFactory factory, ByteArrayPool pool) {
        this.s = state;
        this.settings = state.settings;
        this.hooks = hooks;
        this.factory = factory;
        this.pool = pool;
        this.blockSize = state.blockSize;
        this.blockShift = state.blockShift;
        this.capacity = state.capacity;
        this.seed = state.seed;
        this.piEnabled = state.piEnabled;
        this.tupleSize = state.tupleSize;
        this.delays = settings.dmaDelayMaxNanos() > 0;
        this.faults = state.faults;
    }

    /** Number of I/O calls submitted so far. */
    long operations() {
        return operations.sum();
    }

    /** A read as submitted: nothing to do, past the end (-1), or planned and known to the oracle. */
    IoOp submitRead(ByteBuffer one, ByteBuffer[] many, long requested, long offset, IoMode mode, IoCaller caller,
                    boolean async) {
        IoOp op = newOp(OpKind.READ, one, many, requested, offset, mode, caller, async);
        try {
            s.tracker.beforeRead(caller, op.thread, offset);
        } catch (IoConsistencyException e) {
            op.noteFailFast(e, s.describe());
        }
        if (requested == 0) {
            op.length = 0;
            op.result = 0;
            return op;
        }
        if (offset >= capacity) {
            op.length = 0;
            op.endOfData = true;
            op.result = -1;
            return op;
        }
        plan(op);
        op.result = op.length;
        HistoryOracle oracle = s.oracle;
        if (oracle != null) {
            op.readToken = oracle.readStarted(offset, op.length, op.thread);
        }
        return op;
    }

    /** A write as submitted: refused past the end, planned, known to the oracle, captured unless taken at once. */
    IoOp submitWrite(ByteBuffer one, ByteBuffer[] many, long requested, long offset, IoMode mode, IoCaller caller,
                     boolean async) throws IOException {
        if (requested > 0 && offset >= capacity) {
            throw new IOException(FrontEndText.noSpace(offset, capacity, s.backend()));
        }
        IoOp op = newOp(OpKind.WRITE, one, many, requested, offset, mode, caller, async);
        if (requested == 0) {
            op.length = 0;
            return op;
        }
        plan(op);
        op.endOfData = false;
        if (faults.active()) {
            injectWriteFault(op);
        }
        op.result = op.length;
        HistoryOracle oracle = s.oracle;
        if (oracle != null) {
            // The media is written in whole blocks (edges read-modify-written), so that is the write's range.
            long aStart = offset & -blockSize;
            long aEnd = (offset + op.length + blockSize - 1) & -blockSize;
            op.writeId = oracle.writeSubmitted(aStart, aEnd - aStart, op.thread);
        }
        boolean sameInstant = !async && op.delayNanos == 0 && !hooks.active();
        if (!sameInstant) {
            captureSubmission(op);
        }
        return op;
    }

    /**
     * An injected fault at submission, before the oracle knows the write: it fails with nothing moved (the
     * tracker is told, with the error named), or it is cut to its first bytes (an ordinary short write then).
     */
    private void injectWriteFault(IoOp op) throws IOException {
        WriteFault f = faults.handler().beforeWrite(op);
        if (f == null) {
            return;
        }
        if (f.keep < 0) {
            s.tracker.writeFailed(op.caller, op.thread, op.offset, op.requested,
                    "IOException: " + f.message + (f.cause == null ? "" : " (" + f.cause + ")"));
            throw new IOException(f.message);
        }
        if (f.keep < op.length) {
            op.length = f.keep;
        }
    }

    /** Generates tuples for the blocks of {@code op} that {@code data[dataOff...]} covers whole. */
    void generateCovered(IoOp op, byte[] data, int dataOff, byte[] tuples) {
        long first = op.offset;
        long end = first + op.length;
        long aStart = first & -blockSize;
        long fullStart = (first + blockSize - 1) & -blockSize;
        long fullEnd = end & -blockSize;
        if (fullEnd <= fullStart) {
            return;
        }
        int tupleIndex = (int) ((fullStart - aStart) >> blockShift);
        ByteBuffer view = ByteBuffer.wrap(data, dataOff + (int) (fullStart - first), (int) (fullEnd - fullStart));
        ProtectionInformation.generate(s.protection, view, blockSize, fullStart >> blockShift, 0,
                s.appTag, tuples, tupleIndex * tupleSize);
    }

    private IoOp newOp(OpKind kind, ByteBuffer one, ByteBuffer[] many, long requested, long offset, IoMode mode,
                       IoCaller caller, boolean async) {
        long seq = sequence.incrementAndGet();
        operations.increment();
        StackTraceElement[] stack = settings.captureStacks() ? new Throwable().getStackTrace() : null;
        return factory.create(seq, kind, async, mode, caller, stack, offset, requested, delayFor(seq), one, many);
    }

    private long delayFor(long seq) {
        if (!delays || s.delaysSuspended) {
            return 0;
        }
        long min = settings.dmaDelayMinNanos();
        long span = settings.dmaDelayMaxNanos() - min;
        return min + SeededRandom.below(seed, seq, SeededRandom.DELAY, span + 1);
    }

    /** Decides how many bytes the operation transfers: end of device, the per-call maximum, injected short transfers. */
    private void plan(IoOp op) {
        long avail = capacity - op.offset;
        long want = Math.min(op.requested, Math.min(avail, settings.maxTransfer()));
        op.endOfData = op.requested > avail;
        double p = settings.shortTransferProbability();
        if (p > 0 && want > 1) {
            long unit = op.mode == IoMode.DIRECT ? blockSize : 1;
            long units = want / unit;
            if (units >= 2 && SeededRandom.unit(seed, op.seq, SeededRandom.SHORT) < p) {
                want = unit * (1 + SeededRandom.below(seed, op.seq, SeededRandom.SHORT_LENGTH, units - 1));
                op.endOfData = false;
            }
        }
        op.length = (int) want;
    }

    /** Copies the caller's bytes now and generates the PI of every fully covered block from them. */
    private void captureSubmission(IoOp op) {
        int n = op.length;
        long aStart = op.offset & -blockSize;
        long aEnd = (op.offset + n + blockSize - 1) & -blockSize;
        int blocks = (int) ((aEnd - aStart) >> blockShift);
        byte[] snap = pool.acquire(n);
        op.snapshot = snap;
        op.snapshotPooled = true;
        op.copyFromCaller(snap, 0);
        if (piEnabled && !s.deferred.on()) { // deferred guards: tags and fingerprints are made where the data lands
            op.tuples = new byte[blocks * tupleSize];
            generateCovered(op, snap, 0, op.tuples);
        }
    }
}
