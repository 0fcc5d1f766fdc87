package io.staleguard.device.core.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.integrity.ProtectionInformation;
import io.staleguard.device.integrity.TagMismatch;
import io.staleguard.device.oracle.OperationLog;
import java.nio.ByteBuffer;

/**
 * Verifies the tuples of a block range against its data and records every failing block as a
 * violation at the block it names. A clean range, the usual case, costs one pass and no
 * allocation beyond the view.
 */
final class TupleVerification {

    private final CoreState s;
    private final ProtectionFormat protection;
    private final int blockSize;
    private final int blockShift;
    private final int appTag;

    TupleVerification(CoreState state) {
        this.s = state;
        this.protection = state.protection;
        this.blockSize = state.blockSize;
        this.blockShift = state.blockShift;
        this.appTag = state.appTag;
    }

    /**
     * Verifies {@code [data[off], +blocks)} as the blocks at {@code offset}; records each mismatch for {@code op}.
     *
     * @return whether a block failed (its violation recorded)
     */
    boolean verify(IoOp op, byte[] data, int off, long offset, byte[] tuples, int tupleOff, int blocks, String where) {
        return verify(op, data, off, offset, tuples, tupleOff, blocks, where, null);
    }

    /**
     * As {@link #verify(IoOp, byte[], int, long, byte[], int, int, String)}; entries of {@code confirmed} other
     * than {@code PiStore.EXACT} are deferred guards confirmed by their fingerprint (null: none).
     *
     * @return whether a block failed (its violation recorded)
     */
    boolean verify(IoOp op, byte[] data, int off, long offset, byte[] tuples, int tupleOff, int blocks, String where,
                   long[] confirmed) {
        ByteBuffer view = ByteBuffer.wrap(data, off, blocks << blockShift);
        long lba = offset >> blockShift;
        if (ProtectionInformation.verify(protection, view, blockSize, lba, 0, tuples, tupleOff, appTag, 0xFFFF,
                confirmed, 0) == null) {
            return false;
        }
        ProtectionInformation.verifyEach(protection, view, blockSize, lba, 0, tuples, tupleOff, appTag, 0xFFFF,
                confirmed, 0, m -> s.report(op, violation(m, FrontEndText.tagMismatch(m.describe(), where, op), op.thread,
                        op)));
        return true;
    }

    /**
     * As {@link #verify}, for a path's own media read: records for {@code who}, never fails fast into an operation;
     * {@code confirmed} as there.
     *
     * @return whether a block failed (its violation recorded)
     */
    boolean verify(byte[] data, int off, long offset, byte[] tuples, int blocks, String who, long[] confirmed) {
        ByteBuffer view = ByteBuffer.wrap(data, off, blocks << blockShift);
        long lba = offset >> blockShift;
        if (ProtectionInformation.verify(protection, view, blockSize, lba, 0, tuples, 0, appTag, 0xFFFF,
                confirmed, 0) == null) {
            return false;
        }
        ProtectionInformation.verifyEach(protection, view, blockSize, lba, 0, tuples, 0, appTag, 0xFFFF,
                confirmed, 0, m -> s.recorder.record(violation(m, FrontEndText.mediaReadBy(m.describe(), who), who, null)));
        return true;
    }

    private Violation violation(TagMismatch m, String detail, String thread, IoOp op) {
        long blockOffset = m.lba() << blockShift;
        return Violation.of(m.kind()).at(blockOffset, blockSize, m.lba()).saw(m.expectedHex(), m.actualHex())
                .by(thread, op != null ? op.stackText() : java.util.List.of()).detail(detail)
                .timeline(s.log.around(blockOffset, blockSize, OperationLog.DEFAULT_AROUND)).build();
    }
}
