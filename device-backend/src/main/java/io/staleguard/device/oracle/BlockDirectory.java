package io.staleguard.device.oracle;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * Lazily allocated per-block histories: a two-level table so that creating the oracle for a large
 * device allocates almost nothing, and untouched blocks cost one null reference at most.
 */
final class BlockDirectory {

    private static final int SHIFT = 12;
    private static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    private final long blocks;
    private final AtomicReferenceArray<AtomicReferenceArray<BlockHistory>> chunks;

    BlockDirectory(long blocks) {
        long n = (blocks + CHUNK - 1) >>> SHIFT;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many blocks for the history oracle: " + blocks);
        }
        this.blocks = blocks;
        this.chunks = new AtomicReferenceArray<>((int) n);
    }

    long blocks() {
        return blocks;
    }

    /** The history of a block, or null if the block was never touched. */
    BlockHistory get(long block) {
        AtomicReferenceArray<BlockHistory> chunk = chunks.get((int) (block >>> SHIFT));
        return chunk == null ? null : chunk.get((int) (block & MASK));
    }

    /**
     * The history of a block, created with {@code factory} (called without any lock; it may run
     * more than once under a race, one result wins) if the block was never touched.
     */
    BlockHistory getOrCreate(long block, LongFunction<BlockHistory> factory) {
        int c = (int) (block >>> SHIFT);
        AtomicReferenceArray<BlockHistory> chunk = chunks.get(c);
        if (chunk == null) {
            chunks.compareAndSet(c, null, new AtomicReferenceArray<>(CHUNK));
            chunk = chunks.get(c);
        }
        int i = (int) (block & MASK);
        BlockHistory h = chunk.get(i);
        if (h != null) {
            return h;
        }
        BlockHistory fresh = factory.apply(block);
        return chunk.compareAndSet(i, null, fresh) ? fresh : chunk.get(i);
    }

    /** Forgets every history, in O(chunks); callers guarantee that nothing reads or writes meanwhile. */
    void clear() {
        for (int c = 0; c < chunks.length(); c++) {
            if (chunks.get(c) != null) {
                chunks.set(c, null);
            }
        }
    }

    /** Sum of the versions retained by every block (for memory tests). */
    long retainedVersions() {
        return sum(BlockHistory::retained);
    }

    /** Number of blocks with a history. */
    long touched() {
        return sum(h -> 1);
    }

    private long sum(ToLongFunction<BlockHistory> f) {
        long n = 0;
        for (int c = 0; c < chunks.length(); c++) {
            AtomicReferenceArray<BlockHistory> chunk = chunks.get(c);
            if (chunk == null) {
                continue;
            }
            for (int i = 0; i < CHUNK; i++) {
                BlockHistory h = chunk.get(i);
                if (h != null) {
                    n += f.applyAsLong(h);
                }
            }
        }
        return n;
    }
}
