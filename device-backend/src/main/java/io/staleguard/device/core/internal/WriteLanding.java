package io.staleguard.device.core.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.integrity.ProtectionInformation;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.IoConsistencyException;
import io.staleguard.device.oracle.OperationLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A write's DMA moment: the data is taken from the caller's buffer <em>again</em>, as it is at
 * this later moment, straight into the block image, and landed block by block under the stripe
 * locks.
 * <ol>
 *   <li>Partial edge blocks of an unaligned (buffered) write are read from the media and merged
 *       (read-modify-write, as the kernel does), and their tuples generated from the merged
 *       image.</li>
 *   <li>The image is compared with the snapshot taken at submission: a block that differs means
 *       the buffer changed between submission and DMA, a {@link ViolationKind#GUARD_TAG}
 *       violation carrying the LBA, the submitted and the landed guard and the first differing
 *       byte. (Equal bytes imply an equal guard, so the guard is only computed on a mismatch.)</li>
 *   <li>A write the media lands elsewhere (a test's misdirection) has its tags checked against the
 *       LBA it landed at: the reference tag catches it.</li>
 *   <li>The media stores the data, the PI store the tuples; a media behind a kernel reads the range
 *       back and verifies it; the oracle learns the landed content, the short-transfer tracker the
 *       landed bytes.</li>
 * </ol>
 * A synchronous write with no delay and no hook armed has no snapshot: its tuples are generated
 * here, from the data just taken. An injected fault (only asked while the device's {@link FaultPoint} is on) may
 * lose the write, which the oracle then believes landed, or misdirect it like a test's misdirection.
 */
final class WriteLanding {

    private final CoreState s;
    private final TransferPlanner planner;
    private final TupleVerification tuplesCheck;
    private final Media media;
    private final StripeLocks locks;
    private final ProtectionFormat protection;
    private final PiStore piStore;
    private final boolean piEnabled;
    private final boolean readBack;
    private final int blockSize;
    private final int blockShift;
    private final int tupleSize;
    private final int appTag;
    private final DeferredGuards deferred;
    private final boolean defer;
    private final FaultPoint faults;

    WriteLanding(CoreState state, TransferPlanner planner, TupleVerification tuplesCheck) {
        this.s = state;
        this.planner = planner;
        this.tuplesCheck = tuplesCheck;
        this.media = state.media;
        this.locks = state.locks;
        this.protection = state.protection;
        this.piStore = state.piStore;
        this.piEnabled = state.piEnabled;
        this.readBack = state.media.verifyByReadBack();
        this.blockSize = state.blockSize;
        this.blockShift = state.blockShift;
        this.tupleSize = state.tupleSize;
        this.appTag = state.appTag;
        this.deferred = state.deferred;
        this.defer = state.deferred.on();
        this.faults = state.faults;
    }

    /** Lands {@code op} on the media, verifying as it lands. */
    void land(IoOp op) throws IOException {
        ScratchArrays scratch = ScratchArrays.get();
        int n = op.length;
        long first = op.offset;
        long end = first + n;
        long aStart = first & -blockSize;
        long aEnd = (end + blockSize - 1) & -blockSize;
        int span = (int) (aEnd - aStart);
        int blocks = span >> blockShift;
        boolean aligned = aStart == first && aEnd == end;
        int head = (int) (first - aStart);

        // Take the data from the caller's buffer as it is now: into the block image directly.
        byte[] image = scratch.image(span);
        op.copyFromCaller(image, head);
        byte[] tuples = op.tuples;
        long[] fingerprints = null;
        HistoryOracle oracle = s.oracle;
        int[] sectorCrcs = null;
        if (defer) {
            // Tags and fingerprints of the landed image, once it is whole (below).
            tuples = scratch.tuples(blocks * tupleSize);
            fingerprints = scratch.fingerprints(blocks);
            if (oracle != null) {
                sectorCrcs = scratch.sectorCrcs(span / SectorCrcs.SECTOR);
            }
        } else if (piEnabled && tuples == null) {
            // Submission and DMA are the same instant: generate from the data just taken.
            tuples = scratch.tuples(blocks * tupleSize);
            planner.generateCovered(op, image, head, tuples);
        }
        long landing = aligned ? media.landingOffset(op) : aStart;
        boolean lost = false;
        if (faults.active()) {
            FaultHandler h = faults.handler();
            lost = h.loses(op);
            if (!lost && aligned) {
                landing = h.landing(op, landing);
            }
        }
        long lba = landing >> blockShift;
        locks.lock(lba, blocks);
        try {
            if (!aligned) {
                mergeEdges(image, aStart, first, end, aEnd);
            }
            if (defer) {
                // What an eager guard ends up storing is the guard of this image, blocks changed after submission too.
                if (sectorCrcs != null) {
                    deferred.generate(image, 0, aStart, blocks, tuples, fingerprints, sectorCrcs);
                } else {
                    deferred.generate(image, 0, aStart, blocks, tuples, fingerprints);
                }
            }
            if (op.snapshot != null) {
                checkAgainstSnapshot(op, image, head, tuples, aStart);
            }
            if (piEnabled && !aligned && !defer) {
                protectEdges(image, aStart, first, end, aEnd, tuples);
            }
            if (piEnabled && landing != aStart) {
                tuplesCheck.verify(op, image, 0, landing, tuples, 0, blocks, FrontEndText.misdirected(landing, op.offset),
                        fingerprints);
            }
            if (!lost) {
                media.write(landing, image, 0, span);
                if (defer) {
                    piStore.put(lba, tuples, 0, blocks, fingerprints, 0);
                } else if (piEnabled) {
                    piStore.put(lba, tuples, 0, blocks);
                }
                if (readBack) {
                    readBack(op, image, landing, span, tuples);
                }
            }
            if (oracle != null) {
                if (sectorCrcs != null) {
                    oracle.writeLanded(op.writeId, aStart, span, sectorCrcs, 0);
                } else {
                    oracle.writeLanded(op.writeId, aStart, ByteBuffer.wrap(image, 0, span));
                }
            }
        } catch (IoConsistencyException e) {
            op.noteFailFast(e, s.describe());
        } finally {
            locks.unlock(lba, blocks);
        }
        if (!lost) {
            s.tracker.landed(landing + head, ByteBuffer.wrap(image, head, n));
        }
    }

    /**
     * For I/O paths that take a write's data themselves (a page cache copying a buffered write):
     * compares the bytes taken now with the caller's bytes at submission, exactly as a write
     * landing on the media is checked. {@code image} holds the aligned blocks the write touches,
     * the write's bytes at {@code image[head...]}; it is only read. Nothing happens when
     * submission and transfer were the same instant.
     */
    void checkTakenAgainstSubmission(IoOp op, byte[] image, int head) {
        if (op.snapshot == null || op.kind != OpKind.WRITE) {
            return;
        }
        byte[] tuples = op.tuples == null ? null : op.tuples.clone();
        try {
            checkAgainstSnapshot(op, image, head, tuples, op.offset & -blockSize);
        } catch (IoConsistencyException e) {
            op.noteFailFast(e, s.describe());
        }
    }

    /** Reads the partial edge blocks of an unaligned write from the media and merges the new bytes in. */
    private void mergeEdges(byte[] image, long aStart, long first, long end, long aEnd) throws IOException {
        int head = (int) (first - aStart);
        int span = (int) (aEnd - aStart);
        int n = (int) (end - first);
        if (head > 0 || (span == blockSize && end < aEnd)) {
            byte[] old = ScratchArrays.get().edge(blockSize);
            media.read(aStart, old, 0, blockSize);
            System.arraycopy(old, 0, image, 0, head);
            if (span == blockSize) {
                System.arraycopy(old, head + n, image, head + n, blockSize - head - n);
                return;
            }
        }
        if (end < aEnd) {
            byte[] old = ScratchArrays.get().edge(blockSize);
            media.read(aEnd - blockSize, old, 0, blockSize);
            int tailStart = (int) (end - (aEnd - blockSize));
            System.arraycopy(old, tailStart, image, span - blockSize + tailStart, blockSize - tailStart);
        }
    }

    /** Generates the tuples of partially written edge blocks from the merged image (kernel-side read-modify-write). */
    private void protectEdges(byte[] image, long aStart, long first, long end, long aEnd, byte[] tuples) {
        int span = (int) (aEnd - aStart);
        if (first != aStart) {
            ProtectionInformation.generate(protection, ByteBuffer.wrap(image, 0, blockSize), blockSize,
                    aStart >> blockShift, 0, appTag, tuples, 0);
        }
        if (end != aEnd && (span > blockSize || first == aStart)) {
            ProtectionInformation.generate(protection, ByteBuffer.wrap(image, span - blockSize, blockSize), blockSize,
                    (aEnd - blockSize) >> blockShift, 0, appTag, tuples, ((span >> blockShift) - 1) * tupleSize);
        }
    }

    /**
     * Compares the data taken at DMA with the snapshot taken at submission, block by block. A
     * differing block is a GUARD_TAG violation; its tuple is regenerated from the landed data so
     * that the media stays self-consistent and the bug is reported once.
     */
    private void checkAgainstSnapshot(IoOp op, byte[] image, int head, byte[] tuples, long aStart) {
        byte[] snap = op.snapshot;
        int n = op.length;
        int from = 0;
        while (from < n) {
            int d = Arrays.mismatch(image, head + from, head + n, snap, from, n);
            if (d < 0) {
                return;
            }
            int diff = from + d;
            long diffAbs = op.offset + diff;
            long blockStart = diffAbs & -blockSize;
            int blockIndex = (int) ((blockStart - aStart) >> blockShift);
            reportGuard(op, image, snap, blockStart, diffAbs, tuples, blockIndex, aStart);
            from = (int) (blockStart + blockSize - op.offset);
        }
    }

    private void reportGuard(IoOp op, byte[] image, byte[] snap, long blockStart, long diffAbs, byte[] tuples,
                             int blockIndex, long aStart) {
        long lba = blockStart >> blockShift;
        int imgOff = (int) (blockStart - aStart);
        String expected;
        String actual;
        if (piEnabled) {
            // The submitted block: the landed block with the snapshot's bytes where the write covers it.
            byte[] submitted = Arrays.copyOfRange(image, imgOff, imgOff + blockSize);
            long covFrom = Math.max(blockStart, op.offset);
            long covTo = Math.min(blockStart + blockSize, op.offset + op.length);
            System.arraycopy(snap, (int) (covFrom - op.offset), submitted, (int) (covFrom - blockStart),
                    (int) (covTo - covFrom));
            long submittedGuard = ProtectionInformation.guard(protection, ByteBuffer.wrap(submitted), 0, blockSize);
            long landedGuard = ProtectionInformation.guard(protection, ByteBuffer.wrap(image), imgOff, blockSize);
            expected = FrontEndText.hex(submittedGuard);
            actual = FrontEndText.hex(landedGuard);
            boolean whole = covFrom == blockStart && covTo == blockStart + blockSize;
            if (whole && tuples != null) {
                ProtectionInformation.generate(protection, ByteBuffer.wrap(image, imgOff, blockSize), blockSize, lba, 0,
                        appTag, tuples, blockIndex * tupleSize);
            }
        } else {
            expected = "submitted data";
            actual = "changed data";
        }
        s.report(op, Violation.of(ViolationKind.GUARD_TAG).at(blockStart, blockSize, lba).saw(expected, actual)
                .firstDiff(diffAbs).by(op.thread, op.stackText()).detail(FrontEndText.changedAfterSubmission(op, diffAbs))
                .timeline(s.log.around(blockStart, blockSize, OperationLog.DEFAULT_AROUND)).build());
    }

    private void readBack(IoOp op, byte[] image, long landing, int span, byte[] tuples) throws IOException {
        byte[] back = new byte[span];
        media.read(landing, back, 0, span);
        int d = Arrays.mismatch(image, 0, span, back, 0, span);
        if (d >= 0) {
            tuplesCheck.verify(op, back, 0, landing, tuples, 0, span >> blockShift, "read back after the write landed");
        }
    }
}
