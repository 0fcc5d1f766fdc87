package io.staleguard.device.file.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Remembers, per mapped range, which blocks saw mmap stores and which saw O_DIRECT writes, and
 * reclassifies what the detectors find on blocks that saw both as
 * {@link ViolationKind#UNSUPPORTED_MIXING}: the kernel documents mixing the two on the same range
 * as unsupported, so what happens there is information, not a platform bug.
 */
public final class MixingTracker {

    private final int blockSize;
    private final List<Range> ranges = new CopyOnWriteArrayList<>();

    /** A tracker for a device of this block size. */
    public MixingTracker(int blockSize) {
        this.blockSize = blockSize;
    }

    /** One mapped range: the blocks stored through the mapping and those written with O_DIRECT. */
    private final class Range {
        final long first;
        final long blocks;
        final BitSet stored = new BitSet();
        final BitSet direct = new BitSet();

        Range(long offset, long length) {
            this.first = offset / blockSize;
            this.blocks = (offset + length + blockSize - 1) / blockSize - first;
        }

        synchronized void mark(BitSet set, long offset, long length) {
            long from = Math.max(first, offset / blockSize);
            long to = Math.min(first + blocks, (offset + length + blockSize - 1) / blockSize);
            if (from < to) {
                set.set((int) (from - first), (int) (to - first));
            }
        }

        synchronized boolean mixed(long offset, long length) {
            long from = Math.max(first, offset / blockSize);
            long to = Math.min(first + blocks, (offset + length + blockSize - 1) / blockSize);
            for (long b = from; b < to; b++) {
                int i = (int) (b - first);
                if (stored.get(i) && direct.get(i)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A range was mapped. */
    public void mapped(long offset, long length) {
        ranges.add(new Range(offset, length));
    }

    /** Whether anything was ever mapped (the fast path skips all bookkeeping otherwise). */
    public boolean active() {
        return !ranges.isEmpty();
    }

    /** Bytes were stored through a mapping. */
    public void stored(long offset, long length) {
        for (Range r : ranges) {
            r.mark(r.stored, offset, length);
        }
    }

    /** An O_DIRECT write landed. */
    public void directWrite(long offset, long length) {
        for (Range r : ranges) {
            r.mark(r.direct, offset, length);
        }
    }

    /** Whether any block of the range saw both mmap stores and O_DIRECT writes. */
    public boolean mixed(long offset, long length) {
        for (Range r : ranges) {
            if (r.mixed(offset, length)) {
                return true;
            }
        }
        return false;
    }

    /** The classifier installed on the device's recorder. */
    public Violation classify(Violation v) {
        if (!active() || v.kind() == ViolationKind.UNSUPPORTED_MIXING || v.kind() == ViolationKind.SHORT_TRANSFER
                || !mixed(v.offset(), Math.max(1, v.length()))) {
            return v;
        }
        return Violation.of(ViolationKind.UNSUPPORTED_MIXING).at(v.offset(), v.length(), v.lba())
                .saw(v.expected(), v.actual()).firstDiff(v.firstDiffOffset()).by(v.thread(), v.submitStack())
                .detail("mmap stores and O_DIRECT writes both touched this range, which the kernel documents as"
                        + " unsupported (see the O_DIRECT notes in open(2)); what the detectors saw would otherwise be"
                        + " reported as " + v.kind().inWords() + ": " + v.detail())
                .timeline(v.timeline()).build();
    }
}
