package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * One file's page cache on a device's simulated kernel path ({@code struct address_space} of an inode), for a
 * filesystem kept on the device: {@link KernelIoPath#fileCache} opens one per file. The filesystem still reads and
 * writes the file through device calls at device offsets, so that the device's checks judge every one of them; the
 * kernel path serves a call on blocks the filesystem gave to a file from that file's pages, not from the device's
 * own cache. Its read-ahead stops at the file's size, its writeback is the file's (fsync, an expiry, a dirty
 * threshold), and a direct call invalidates the file's pages.
 *
 * <p>What the filesystem tells it: which device blocks hold which file blocks, as it allocates them
 * ({@link #mapBlocks}); which blocks leave the file, before it frees them ({@link #releaseBlocks}, which waits for
 * their writeback and discards their pages, as {@code truncate_inode_pages_range} does); fsync ({@link #fsync}).
 * Thread safe.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface FilePageCache {

    /**
     * File blocks {@code [fileBlock, fileBlock + count)} are now device blocks {@code [deviceBlock, ...)}. Call it
     * when the blocks are allocated, before any device call on them.
     *
     * @throws IllegalStateException if a file block or device block of the range is mapped already
     */
    void mapBlocks(long fileBlock, long deviceBlock, long count);

    /**
     * File blocks {@code [fromBlock, toBlock)} leave the file (truncate, a short write's unreached blocks, the last
     * close of an unlinked file): waits for writeback of their pages, discards their bytes (dirty ones are never
     * written back) and forgets their device blocks. Call it before the blocks go back to the allocator.
     */
    void releaseBlocks(long fromBlock, long toBlock);

    /** fsync: writes back this file's dirty pages and waits for them, and for writeback already in flight. */
    void fsync();

    /**
     * fsync as Linux reports its errors ({@code errseq_t}, v4.13 and later): writes back and waits as {@link #fsync()};
     * with {@code failWriteback} the device fails every page this writeback takes (EIO), and those pages stay clean and
     * cached though their data never reached the media. Then the file's writeback error is checked against
     * {@code cursor[0]}, the cursor of one open file ({@link #sampleWritebackError} at its open), and the cursor is
     * advanced: an error is reported once per open file.
     *
     * @param cursor one element, the open file's cursor; updated
     * @return the errno to report to this fsync (5, EIO), or 0: the error of a failed writeback not yet seen through
     *         {@code cursor}, or EIO whenever {@code failWriteback} (with nothing to write back, the device's flush
     *         itself failed)
     */
    int fsync(int[] cursor, boolean failWriteback);

    /**
     * The cursor a file opened now starts from ({@code errseq_sample} into {@code file->f_wb_err}): it will report a
     * writeback error recorded after this, or one recorded before that no open file has seen yet.
     */
    int sampleWritebackError();

    /** The inode is gone: releases every block and stops the flusher from looking at this file. */
    void evict();

    /** Pages of this file in the cache now. */
    int cachedPages();

    /** Dirty pages of this file now. */
    int dirtyPages();
}
