package io.staleguard.device.fs.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The device's free blocks as a set of free extents, handed out first fit. Blocks come back on delete and
 * truncate and merge with their free neighbours, so the set stays as small as the fragmentation allows.
 *
 * <p>In quarantine (while a crash explorer records a run) freed blocks are held back instead, as ext4 does not reuse
 * blocks freed in a transaction that has not committed: no block then holds the data of two files during the run,
 * so every recorded write's device runs stay valid in every crash state. Only when no free block is left are the
 * held blocks given back, and the release listener is told. Thread safe.
 */
public final class ExtentAllocator {

    /** Free extents: first block to length in blocks; never adjacent (merged on free). */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private final long totalBlocks;
    private long freeBlocks;
    /** Blocks freed in quarantine: (first, count) pairs, not yet in {@link #free}. */
    private final List<long[]> held = new ArrayList<>();
    private long heldBlocks;
    private boolean quarantined;
    private Runnable onRelease = () -> { };

    /** An allocator over blocks {@code [0, totalBlocks)}, all free. */
    public ExtentAllocator(long totalBlocks) {
        if (totalBlocks <= 0) {
            throw new IllegalArgumentException("totalBlocks must be > 0, was " + totalBlocks);
        }
        this.totalBlocks = totalBlocks;
        this.freeBlocks = totalBlocks;
        free.put(0L, totalBlocks);
    }

    /** The number of blocks the allocator manages. */
    public long totalBlocks() {
        return totalBlocks;
    }

    /** Blocks not allocated now. */
    public synchronized long freeBlocks() {
        return freeBlocks;
    }

    /** How many free extents there are: the allocator's own memory is proportional to it. */
    public synchronized int freeExtentCount() {
        return free.size();
    }

    /**
     * Allocates up to {@code count} contiguous blocks: at {@code goal} if that block is free (so that a growing
     * file stays contiguous), else at the first free extent long enough, else the first free extent of any
     * length. Returns {@code {firstBlock, blocks}}; fewer blocks than asked only in the last case.
     *
     * @throws IOException "No space left on device" when no block is free
     */
    public synchronized long[] allocate(long count, long goal) throws IOException {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be > 0, was " + count);
        }
        if (freeBlocks == 0) {
            releaseHeld();
        }
        if (freeBlocks == 0) {
            throw noSpace();
        }
        if (goal >= 0) {
            Map.Entry<Long, Long> at = free.floorEntry(goal);
            if (at != null && at.getKey() + at.getValue() > goal) {
                return take(at.getKey(), at.getValue(), goal, Math.min(count, at.getKey() + at.getValue() - goal));
            }
        }
        Map.Entry<Long, Long> first = null;
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            if (first == null) {
                first = e;
            }
            if (e.getValue() >= count) {
                return take(e.getKey(), e.getValue(), e.getKey(), count);
            }
        }
        return take(first.getKey(), first.getValue(), first.getKey(), first.getValue());
    }

    /** Checks that {@code count} blocks are free now, so a multi-extent allocation cannot fail half way. */
    public synchronized void reserveCheck(long count) throws IOException {
        if (count > freeBlocks) {
            releaseHeld();
        }
        if (count > freeBlocks) {
            throw noSpace();
        }
    }

    private long[] take(long extentStart, long extentLength, long from, long count) {
        free.remove(extentStart);
        if (from > extentStart) {
            free.put(extentStart, from - extentStart);
        }
        long end = from + count;
        long extentEnd = extentStart + extentLength;
        if (end < extentEnd) {
            free.put(end, extentEnd - end);
        }
        freeBlocks -= count;
        return new long[] {from, count};
    }

    /** Returns blocks {@code [first, first + count)} to the free set. */
    public synchronized void free(long first, long count) {
        if (count <= 0) {
            return;
        }
        if (first < 0 || first + count > totalBlocks) {
            throw new IllegalArgumentException("blocks [" + first + ", " + (first + count) + ") are outside the device's "
                    + totalBlocks + " blocks");
        }
        if (quarantined) {
            held.add(new long[] {first, count});
            heldBlocks += count;
            return;
        }
        merge(first, count);
    }

    private void merge(long first, long count) {
        long start = first;
        long length = count;
        Map.Entry<Long, Long> before = free.floorEntry(first);
        if (before != null && before.getKey() + before.getValue() > first) {
            throw new IllegalStateException("block " + first + " is freed twice");
        }
        if (before != null && before.getKey() + before.getValue() == first) {
            start = before.getKey();
            length += before.getValue();
            free.remove(before.getKey());
        }
        Long after = free.ceilingKey(first);
        if (after != null && after < first + count) {
            throw new IllegalStateException("block " + after + " is freed twice");
        }
        if (after != null && after == first + count) {
            length += free.remove(after);
        }
        free.put(start, length);
        freeBlocks += count;
    }

    /**
     * Turns quarantine on or off. Turning it off gives every held block back to the free set.
     */
    public synchronized void quarantine(boolean on) {
        if (!on) {
            for (long[] r : held) {
                merge(r[0], r[1]);
            }
            held.clear();
            heldBlocks = 0;
        }
        quarantined = on;
    }

    /** Whether freed blocks are held back now. */
    public synchronized boolean quarantined() {
        return quarantined;
    }

    /** Blocks freed in quarantine and held back now. */
    public synchronized long heldBlocks() {
        return heldBlocks;
    }

    /** {@code listener} runs (under this allocator's lock) when quarantine gives its held blocks back early. */
    public synchronized void onQuarantineRelease(Runnable listener) {
        onRelease = listener == null ? () -> { } : listener;
    }

    /** Out of free blocks in quarantine: the held ones go back (quarantine stays on for later frees). */
    private void releaseHeld() {
        if (held.isEmpty()) {
            return;
        }
        for (long[] r : held) {
            merge(r[0], r[1]);
        }
        held.clear();
        heldBlocks = 0;
        onRelease.run();
    }

    /**
     * Forgets every allocation and makes exactly the blocks of {@code used} allocated, the rest free; quarantine
     * ends and its held blocks are forgotten with the rest. After a volume is restored to an image, its files' block
     * maps are the truth.
     *
     * @throws IllegalStateException if two maps share a block, or a map names a block outside the device
     */
    public synchronized void rebuild(Collection<ExtentList> used) {
        free.clear();
        free.put(0L, totalBlocks);
        freeBlocks = totalBlocks;
        held.clear();
        heldBlocks = 0;
        quarantined = false;
        for (ExtentList map : used) {
            for (int i = 0; i < map.size(); i++) {
                claim(map.deviceBlockAt(i), map.blocksAt(i));
            }
        }
    }

    private void claim(long first, long count) {
        Map.Entry<Long, Long> at = free.floorEntry(first);
        if (first < 0 || first + count > totalBlocks) {
            throw new IllegalStateException("blocks [" + first + ", " + (first + count) + ") are outside the device's "
                    + totalBlocks + " blocks");
        }
        if (at == null || at.getKey() + at.getValue() < first + count) {
            throw new IllegalStateException("blocks [" + first + ", " + (first + count) + ") are used twice");
        }
        take(at.getKey(), at.getValue(), first, count);
    }

    static IOException noSpace() {
        return new IOException("No space left on device");
    }
}
