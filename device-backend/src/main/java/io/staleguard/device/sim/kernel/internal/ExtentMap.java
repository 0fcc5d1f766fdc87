package io.staleguard.device.sim.kernel.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which blocks of a simulated device are allocated and how they group into extents, as the iomap
 * {@code ->iomap_begin} of a filesystem would map them.
 *
 * <p>A block is allocated by the first write that covers it; the blocks one write allocates in one
 * contiguous run form one extent. So a range written block by block by four writes is four
 * single-block extents (MariaDB's file in Filipe Manana's IOMAP_DIO_PARTIAL report, 2022-02-28),
 * and a range written by one large write is one extent, even if parts of it are overwritten later.
 * Never-written blocks are holes. A mapping (what one {@code ->iomap_begin} call returns) is a
 * maximal run of holes or the rest of one extent.
 *
 * <p>Two bits per block (allocated, first block of its extent) in chunks of {@value #CHUNK_BLOCKS}
 * blocks, allocated when a write first touches them (16 KiB per chunk). Lock free: a write flips its
 * allocation bits with an atomic or, and only the bits it flipped itself make its extent, so
 * concurrent writes to the same hole never share an extent. A write over allocated blocks costs one
 * volatile read per 64 blocks.
 */
final class ExtentMap {

    static final int CHUNK_SHIFT = 16;
    static final int CHUNK_BLOCKS = 1 << CHUNK_SHIFT;
    private static final int WORDS = CHUNK_BLOCKS / 64;
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private final long blocks;
    /** Per chunk: {@code WORDS} allocation words, then {@code WORDS} extent-start words. */
    private final AtomicReferenceArray<long[]> chunks;

    ExtentMap(long blocks) {
        if (blocks < 0) {
            throw new IllegalArgumentException("blocks must be >= 0, was " + blocks);
        }
        this.blocks = blocks;
        long n = (blocks + CHUNK_BLOCKS - 1) >>> CHUNK_SHIFT;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many blocks for an extent map: " + blocks);
        }
        this.chunks = new AtomicReferenceArray<>((int) n);
    }

    /** Allocates the holes among {@code [first, first + count)}; each contiguous run of them becomes one extent. */
    void allocate(long first, long count) {
        long end = Math.min(blocks, first + count);
        boolean carry = false;
        for (long b = Math.max(0, first); b < end; ) {
            int bit = (int) (b & 63);
            int take = (int) Math.min(64 - bit, end - b);
            long mask = take == 64 ? -1L : ((1L << take) - 1) << bit;
            long[] c = chunk(b, true);
            int w = (int) ((b & (CHUNK_BLOCKS - 1)) >>> 6);
            long newly = 0;
            if (((long) WORD.getVolatile(c, w) & mask) != mask) {
                long old = (long) WORD.getAndBitwiseOr(c, w, mask);
                newly = mask & ~old;
            }
            // A run starts at a block this write allocated whose predecessor it did not allocate.
            long starts = newly & ~((newly << 1) | (carry && bit == 0 ? 1L : 0L));
            if (starts != 0) {
                WORD.getAndBitwiseOr(c, WORDS + w, starts);
            }
            carry = (newly >>> 63) != 0;
            b += take;
        }
    }

    /** Whether {@code block} was ever written. */
    boolean allocated(long block) {
        long[] c = chunk(block, false);
        return c != null && bit(c, 0, block);
    }

    /**
     * The end (exclusive) of the mapping that starts at {@code block}, at most {@code limit}: the end of
     * its run of holes, or of its extent.
     */
    long mappingEnd(long block, long limit) {
        boolean alloc = allocated(block);
        long b = block + 1;
        while (b < limit) {
            long[] c = chunk(b, false);
            boolean a = c != null && bit(c, 0, b);
            if (a != alloc || (a && bit(c, WORDS, b))) {
                break;
            }
            b++;
        }
        return b;
    }

    private static boolean bit(long[] c, int base, long block) {
        int i = (int) (block & (CHUNK_BLOCKS - 1));
        return ((long) WORD.getVolatile(c, base + (i >>> 6)) & (1L << (i & 63))) != 0;
    }

    private long[] chunk(long block, boolean create) {
        int i = (int) (block >>> CHUNK_SHIFT);
        long[] c = chunks.get(i);
        if (c == null && create) {
            chunks.compareAndSet(i, null, new long[2 * WORDS]);
            c = chunks.get(i);
        }
        return c;
    }
}
