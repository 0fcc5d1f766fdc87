package io.staleguard.device.sim.internal;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Faults of the media kept beside it, never in it (TigerBeetle's storage simulator keeps its memory
 * pristine the same way): bad blocks (latent sector errors) and flipped bits. A read sees the bits
 * flipped; a write heals the blocks it stores. Frozen images of the media (crash states) hold the
 * pristine bytes, and clearing the faults restores the media exactly. Thread safe.
 */
final class MediaFaults {

    private final int blockShift;
    private final TreeSet<Long> bad = new TreeSet<>();
    /** Device byte offset to the bits flipped there (an XOR mask). */
    private final TreeMap<Long, Byte> flips = new TreeMap<>();

    MediaFaults(int blockSize) {
        this.blockShift = Integer.numberOfTrailingZeros(blockSize);
    }

    synchronized void markBad(long firstLba, long blocks) {
        for (long b = firstLba; b < firstLba + blocks; b++) {
            bad.add(b);
        }
    }

    /** The first bad block of {@code [lba, lba + blocks)}, or -1. */
    synchronized long firstBad(long lba, long blocks) {
        if (bad.isEmpty()) {
            return -1;
        }
        Long b = bad.ceiling(lba);
        return b != null && b < lba + blocks ? b : -1;
    }

    synchronized void flip(long offset, int bit) {
        byte mask = (byte) (flips.getOrDefault(offset, (byte) 0) ^ (1 << bit));
        if (mask == 0) {
            flips.remove(offset);
        } else {
            flips.put(offset, mask);
        }
    }

    /** Applies the flipped bits of {@code [offset, +len)} to what was read into {@code dst[off...]}. */
    synchronized void apply(long offset, byte[] dst, int off, int len) {
        if (flips.isEmpty()) {
            return;
        }
        for (Map.Entry<Long, Byte> e : flips.subMap(offset, true, offset + len, false).entrySet()) {
            int i = off + (int) (e.getKey() - offset);
            dst[i] = (byte) (dst[i] ^ e.getValue());
        }
    }

    /** Bytes were stored at {@code [offset, +len)}: the blocks there are good again and hold what was written. */
    synchronized void healed(long offset, int len) {
        if (!flips.isEmpty()) {
            flips.subMap(offset, true, offset + len, false).clear();
        }
        if (!bad.isEmpty()) {
            long first = offset >> blockShift;
            long end = (offset + len + (1L << blockShift) - 1) >> blockShift;
            bad.subSet(first, true, end, false).clear();
        }
    }

    synchronized boolean isEmpty() {
        return bad.isEmpty() && flips.isEmpty();
    }

    synchronized void clear() {
        bad.clear();
        flips.clear();
    }

    synchronized NavigableMap<Long, Byte> flipsNow() {
        return new TreeMap<>(flips);
    }

    synchronized int badBlocks() {
        return bad.size();
    }
}
