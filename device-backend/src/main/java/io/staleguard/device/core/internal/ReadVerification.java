package io.staleguard.device.core.internal;

import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.IoConsistencyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * A read's DMA moment: the oracle learned the read at submission; now the blocks are read with
 * their tuples under the stripe locks, every tuple is verified against its data (a
 * {@link io.staleguard.device.ViolationKind#REF_TAG} there means misdirected data), the bytes are
 * classified by the oracle (stale, torn, corrupt) and copied into the caller's buffer. Also the
 * verified whole-block read that I/O paths use for their own media reads (a page-cache fill, a
 * DAX load). Injected latent sector errors fail the read (or cut it before the bad block), and under
 * {@code PiMismatch.FAIL_READ} a mismatch fails it after it was recorded.
 */
final class ReadVerification {

    private final CoreState s;
    private final TupleVerification tuplesCheck;
    private final Media media;
    private final StripeLocks locks;
    private final PiStore piStore;
    private final boolean piEnabled;
    private final int blockSize;
    private final int blockShift;
    private final int tupleSize;
    private final DeferredGuards deferred;
    private final FaultPoint faults;
    private final boolean failOnMismatch;

    ReadVerification(CoreState state, TupleVerification tuplesCheck) {
        this.s = state;
        this.tuplesCheck = tuplesCheck;
        this.media = state.media;
        this.locks = state.locks;
        this.piStore = state.piStore;
        this.piEnabled = state.piEnabled;
        this.blockSize = state.blockSize;
        this.blockShift = state.blockShift;
        this.tupleSize = state.tupleSize;
        this.deferred = state.deferred;
        this.faults = state.faults;
        this.failOnMismatch = state.failReadOnPiMismatch;
    }

    /** Reads {@code op}'s blocks, verifies them, has the oracle classify them and copies them to the caller. */
    void readBlocks(IoOp op) throws IOException {
        if (faults.active()) {
            injectReadFault(op);
        }
        ScratchArrays scratch = ScratchArrays.get();
        int n = op.length;
        long aStart = op.offset & -blockSize;
        long aEnd = (op.offset + n + blockSize - 1) & -blockSize;
        int span = (int) (aEnd - aStart);
        int blocks = span >> blockShift;
        byte[] data = scratch.image(span);
        byte[] tuples = piEnabled ? scratch.tuples(blocks * tupleSize) : null;
        long[] fingerprints = deferred.on() ? scratch.fingerprints(blocks) : null;
        long lba = aStart >> blockShift;
        int written = 0;
        locks.lock(lba, blocks);
        try {
            media.read(aStart, data, 0, span);
            if (fingerprints != null) {
                written = piStore.get(lba, tuples, 0, blocks, fingerprints, 0);
                deferred.confirm(data, 0, lba, blocks, tuples, fingerprints);
            } else if (piEnabled) {
                written = piStore.get(lba, tuples, 0, blocks);
            }
        } finally {
            locks.unlock(lba, blocks);
        }
        try {
            if (piEnabled && written > 0 && tuplesCheck.verify(op, data, 0, aStart, tuples, 0, blocks, "media read",
                    fingerprints) && failOnMismatch) {
                throw failedOnMismatch(op.thread, aStart, span, "read " + op);
            }
            int head = (int) (op.offset - aStart);
            HistoryOracle oracle = s.oracle;
            if (oracle != null) {
                oracle.readCompleted(op.readToken, op.offset, ByteBuffer.wrap(data, head, n), op.thread);
            }
            op.copyToCaller(data, head);
        } catch (IoConsistencyException e) {
            op.noteFailFast(e, s.describe());
            op.copyToCaller(data, (int) (op.offset - aStart));
        }
    }

    /**
     * For I/O paths that read the media themselves: reads whole blocks as the block layer would,
     * verifying their protection information, and records each mismatch naming {@code who}. The
     * history oracle is not told: the path tells it what it serves.
     *
     * @throws IllegalArgumentException if the range is not whole blocks within the capacity
     */
    void readMediaVerified(long offset, byte[] dst, int off, int len, String who) {
        long capacity = s.capacity;
        if (offset < 0 || (offset & (blockSize - 1)) != 0 || (len & (blockSize - 1)) != 0 || len < 0
                || offset > capacity - len || off < 0 || off > dst.length - len) {
            throw new IllegalArgumentException("verified media read [" + offset + ",+" + len + ") into [" + off
                    + ",+" + len + ") of " + dst.length + " bytes is not whole blocks of " + blockSize
                    + " B within the capacity " + capacity);
        }
        if (faults.active() && faults.handler().readable(offset, len, who) < len) {
            throw new UncheckedIOException(new IOException(FaultHandler.EIO));
        }
        int blocks = len >> blockShift;
        long lba = offset >> blockShift;
        byte[] tuples = piEnabled ? new byte[blocks * tupleSize] : null;
        long[] fingerprints = deferred.on() ? new long[blocks] : null;
        int written = 0;
        locks.lock(lba, blocks);
        try {
            media.read(offset, dst, off, len);
            if (fingerprints != null) {
                written = piStore.get(lba, tuples, 0, blocks, fingerprints, 0);
                deferred.confirm(dst, off, lba, blocks, tuples, fingerprints);
            } else if (piEnabled) {
                written = piStore.get(lba, tuples, 0, blocks);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("media read [" + offset + ",+" + len + ") failed", e);
        } finally {
            locks.unlock(lba, blocks);
        }
        if (written > 0 && blocks > 0 && tuplesCheck.verify(dst, off, offset, tuples, blocks, who, fingerprints)
                && failOnMismatch) {
            throw new UncheckedIOException(failedOnMismatch(who, offset, len, who));
        }
    }

    /**
     * A latent sector error before the media is read: the read fails when its first block is bad, or stops
     * before the first bad block (Linux returns the bytes before a failed page).
     */
    private void injectReadFault(IoOp op) throws IOException {
        int readable = faults.handler().readable(op);
        if (readable >= op.length) {
            return;
        }
        if (readable <= 0) {
            throw new IOException(FaultHandler.EIO);
        }
        op.shortenRead(readable);
    }

    /** A PI mismatch under {@code PiMismatch.FAIL_READ}: the host adapter fails the I/O (the violation is recorded). */
    private IOException failedOnMismatch(String thread, long offset, long length, String what) {
        HistoryOracle oracle = s.oracle;
        s.log.append(oracle != null ? oracle.instant() : System.nanoTime(), thread,
                io.staleguard.device.TimelineEvent.Type.NOTE, offset, length, 0,
                "PI mismatch: " + what + " fails with EIO (PiMismatch.FAIL_READ)");
        return new IOException(FaultHandler.EIO);
    }
}
