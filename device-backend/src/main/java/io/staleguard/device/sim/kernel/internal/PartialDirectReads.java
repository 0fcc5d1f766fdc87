package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.IoMode;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.sim.PathOperation;
import io.staleguard.device.core.internal.SeededRandom;
import io.staleguard.device.sim.kernel.KernelConfig;
import io.staleguard.device.sim.kernel.PartialDirectRead;

/**
 * H5 under real threads (Filipe Manana, "[PATCH] iomap: fix incomplete async dio reads when using
 * IOMAP_DIO_PARTIAL", 2022-02-28, commit 51bd9563): the iomap direct read with
 * {@code IOMAP_DIO_PARTIAL} and page faults disabled, as btrfs issues it for a NOWAIT read, for
 * asynchronous DIRECT reads of a device with a {@code KernelIoPath}.
 *
 * <h2>What is modelled</h2>
 * <ul>
 *   <li><b>Extents</b> come from the writes (see {@link ExtentMap}): the blocks one write allocated
 *       form one extent, never-written blocks are holes. Each mapping (extent or run of holes) is
 *       one {@code ->iomap_begin} iteration.</li>
 *   <li><b>The user buffer</b>: Java cannot see page residency, so it is decided from the seed. An
 *       asynchronous direct read's buffer has only its first 4 KiB page (from the buffer's position
 *       at submission) faulted in with probability {@code unfaultedRate} (default 1: MariaDB's fresh
 *       buffer every time), drawn from the device seed and the operation's sequence number
 *       ({@link SeededRandom#UNFAULTED_BUFFER}); otherwise all its pages are resident.</li>
 *   <li><b>Pinning</b>: an iteration pins all the buffer pages its mapping covers or faults. A fault
 *       in the first iteration (nothing submitted yet) makes btrfs fault the buffer in and call
 *       {@code iomap_dio_rw} again, so the read completes whole. A fault in a later iteration under
 *       {@link PartialDirectRead#NOWAIT_PARTIAL_FIRST_EXTENT} completes the request with the bytes of
 *       the iterations before it: short, though not at end of data (the device's capacity). Under
 *       {@link PartialDirectRead#WAIT_AND_CONTINUE} the submitter waits, btrfs faults the rest in and
 *       continues: every byte is returned.</li>
 * </ul>
 * Synchronous direct reads (not NOWAIT) and buffered reads are never cut. Under
 * {@code WAIT_AND_CONTINUE} nothing is observable, so no extent bookkeeping is done at all.
 *
 * <h2>On a filesystem</h2>
 * btrfs maps a read by the file's extents, not by the device's history. The simulated filesystem applies the same
 * rule, {@link #delivered}, to an asynchronous DIRECT file read over the file's own extents and holes, and issues
 * the bytes it keeps as device reads of at most {@value #PAGE_SIZE} bytes, which this device-level model never cuts
 * (so a file read is decided once, by its file's extents).
 */
public final class PartialDirectReads {

    /** The user page size: the granule in which buffer pages are faulted in. */
    public static final int PAGE_SIZE = 4096;

    private final boolean partial;
    private final int blockSize;
    private final long seed;
    private final double unfaultedRate;
    private final ExtentMap extents;
    private final Mappings byWrites;

    /**
     * @param unfaultedRate probability in [0, 1] that an asynchronous direct read's buffer has only its
     *                      first page faulted in
     * @throws IllegalArgumentException naming a rate outside [0, 1]
     */
    public PartialDirectReads(KernelConfig cfg, long capacity, int blockSize, long seed, double unfaultedRate) {
        if (!(unfaultedRate >= 0 && unfaultedRate <= 1)) {
            throw new IllegalArgumentException("unfaultedBufferRate must be in [0, 1], was " + unfaultedRate);
        }
        this.partial = cfg.partialDirectRead() == PartialDirectRead.NOWAIT_PARTIAL_FIRST_EXTENT;
        this.blockSize = blockSize;
        this.seed = seed;
        this.unfaultedRate = unfaultedRate;
        this.extents = partial ? new ExtentMap(capacity / blockSize) : null;
        this.byWrites = partial ? extents::mappingEnd : null;
    }

    /**
     * At an operation's DMA moment, before it transfers: a write allocates its holes; an asynchronous
     * direct read that faults past its first mapping is {@linkplain PathOperation#shortenRead shortened}.
     */
    public void atDma(PathOperation op) {
        if (!partial || op.length() == 0) {
            return;
        }
        if (op.kind() == OpKind.WRITE) {
            written(op.offset(), op.length());
        } else if (op.isAsync() && op.mode() == IoMode.DIRECT) {
            int keep = deliveredBytes(op);
            if (keep < op.length()) {
                op.shortenRead(keep);
            }
        }
    }

    /** Bytes stored at {@code [offset, offset + length)} (a write or a mapped store): allocates their holes. */
    public void written(long offset, long length) {
        if (!partial || length <= 0) {
            return;
        }
        long first = offset / blockSize;
        long end = (offset + length + blockSize - 1) / blockSize;
        extents.allocate(first, end - first);
    }

    /** The bytes the NOWAIT iomap read delivers of {@code op} (block aligned: it is a direct read). */
    private int deliveredBytes(PathOperation op) {
        int n = op.length();
        if (n <= PAGE_SIZE || !onlyFirstPageFaulted(op.sequence())) {
            return n;
        }
        long start = op.offset() / blockSize;
        return delivered(start, n / blockSize, blockSize, byWrites);
    }

    private boolean onlyFirstPageFaulted(long request) {
        return onlyFirstPageFaulted(seed, request, unfaultedRate);
    }

    /**
     * Whether the buffer of the NOWAIT read numbered {@code request} has only its first page faulted in: the draw
     * from {@code seed} at {@code unfaultedRate} ({@link SeededRandom#UNFAULTED_BUFFER}); otherwise every page is
     * resident and the read is whole.
     */
    public static boolean onlyFirstPageFaulted(long seed, long request, double unfaultedRate) {
        return unfaultedRate >= 1 || SeededRandom.unit(seed, request, SeededRandom.UNFAULTED_BUFFER) < unfaultedRate;
    }

    /**
     * What {@code ->iomap_begin} answers for a read: where the mapping (an extent, or a run of holes) that starts
     * at a block ends. The device's own model maps by the runs each write allocated; a filesystem maps by its
     * files' extents.
     */
    @FunctionalInterface
    public interface Mappings {
        /** The end (exclusive, at most {@code limit}) of the mapping that starts at {@code block}. */
        long mappingEnd(long block, long limit);
    }

    /**
     * The one rule of the NOWAIT {@code IOMAP_DIO_PARTIAL} read whose buffer has only its first
     * {@value #PAGE_SIZE}-byte page faulted in: the bytes it delivers of {@code blocks} blocks from {@code start}.
     * Each mapping is one iteration that pins the buffer pages it covers. A fault in the first iteration (nothing
     * submitted yet) makes btrfs fault the buffer in and retry, so the read is whole; a fault in a later iteration
     * completes the request with the iterations before it.
     */
    public static int delivered(long start, int blocks, int blockSize, Mappings mappings) {
        int n = blocks * blockSize;
        if (n <= PAGE_SIZE) {
            return n;
        }
        long limit = start + blocks;
        long done = mappings.mappingEnd(start, limit);
        if (!pinsOnlyFaultedPages(start, done, blockSize, PAGE_SIZE)) {
            // The first iteration faulted with nothing submitted: btrfs faults the buffer in and retries.
            return n;
        }
        while (done < limit) {
            long next = mappings.mappingEnd(done, limit);
            if (!pinsOnlyFaultedPages(start, next, blockSize, PAGE_SIZE)) {
                // bio_iov_iter_get_pages hits a page that is not faulted in: -EFAULT after progress.
                return (int) ((done - start) * blockSize);
            }
            done = next;
        }
        return n;
    }

    /**
     * One iteration of the NOWAIT read, the step both schedulers take: whether the iteration that maps the read's
     * blocks up to {@code end} (exclusive) pins only buffer pages that are faulted in, when the buffer's first
     * {@code faultedBytes} bytes are (its pages are consumed in order from the read's first block, {@code start}).
     * With page faults disabled, {@code bio_iov_iter_get_pages} fails with -EFAULT on any other page. The scenario
     * of H5 ({@code PartialReadWorld}) asks it bio by bio; {@link #delivered} asks it for a whole read.
     */
    public static boolean pinsOnlyFaultedPages(long start, long end, int blockSize, long faultedBytes) {
        return (end - start) * blockSize <= faultedBytes;
    }
}
