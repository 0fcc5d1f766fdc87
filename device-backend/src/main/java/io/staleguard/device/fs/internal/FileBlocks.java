package io.staleguard.device.fs.internal;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.FilePageCache;
import io.staleguard.device.sim.kernel.KernelIoPath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Which device blocks a file owns: maps holes to new blocks when a write first reaches them, and gives blocks back
 * on truncate and delete. A file never shows what a deleted file left on its blocks: the parts of a new block that
 * its first write does not cover, and the tail of a block cut by truncate, are zeroed on the device before the
 * file can read them. The zeroing is a device write of its own caller, judged like any other.
 */
final class FileBlocks {

    private static final byte[] ZEROS = new byte[64 << 10];

    private final BlockDevice device;
    private final int blockSize;
    private final ExtentAllocator allocator;
    private final IoCaller zeroFill = IoCaller.newCaller("simulated filesystem (zeroing new blocks)", true);
    /** The simulated device, when its kernel path keeps a page cache per file; else null. */
    private final SimulatedDevice cached;

    FileBlocks(BlockDevice device, ExtentAllocator allocator) {
        this.device = device;
        this.blockSize = device.logicalBlockSize();
        this.allocator = allocator;
        this.cached = device instanceof SimulatedDevice sim && sim.ioPath() instanceof KernelIoPath path
                && !path.isDax() ? sim : null;
    }

    /** Whether the device's kernel path keeps a page cache per file. */
    boolean cachesFiles() {
        return cached != null;
    }

    /**
     * The file's page cache on the device's kernel path, opened when the file first gets blocks; null when the
     * device keeps none. The kernel learns of each block before any device call reaches it.
     */
    FilePageCache cache(Inode f) {
        if (cached == null) {
            return null;
        }
        FilePageCache c = f.pageCache();
        if (c == null) {
            synchronized (f.dataLock()) {
                c = f.pageCache();
                if (c == null) {
                    c = KernelIoPath.fileCache(cached, f::size).orElseThrow();
                    f.pageCache(c);
                }
            }
        }
        return c;
    }

    /** Before blocks leave the file: their pages wait for writeback and go, so the next owner shares none. */
    private void releasing(Inode f, long fromBlock, long toBlock) {
        FilePageCache c = f.pageCache();
        if (c != null) {
            c.releaseBlocks(fromBlock, toBlock);
        }
    }

    /**
     * Maps every hole under {@code [pos, pos + len)} to new blocks, zeroes what the write leaves uncovered in them,
     * then publishes the new map. Returns the new ranges as (file block, count) pairs, or null if none were needed;
     * the check that none are needed takes no lock and allocates nothing.
     *
     * @throws IOException "No space left on device" if the free blocks do not cover the holes (nothing is taken)
     */
    long[] allocate(Inode f, long pos, int len) throws IOException {
        Fresh got = allocate(f, pos, len, false);
        return got == null ? null : got.ranges();
    }

    /**
     * New blocks of one write, as (file block, count) pairs, and whether the zeroing of the partly covered first
     * ({@code headLeft}) or last ({@code tailLeft}) block was left to the writer.
     */
    record Fresh(long[] ranges, boolean headLeft, boolean tailLeft) {
    }

    /**
     * As {@link #allocate(Inode, long, int)}; with {@code leaveEdgesPastEof}, a partly covered new edge block that
     * starts at or past the end of the file is not zeroed here: the writer writes it whole, zeros and data in one
     * device call, as the kernel zeroes a new page cache page in the same {@code write()} that copies the data in.
     * A separate zeroing write would dirty the page first, and writeback could then start between the two writes
     * (a window no kernel has). Readers cannot see such a block before the write: reads stop at the size.
     */
    Fresh allocate(Inode f, long pos, int len, boolean leaveEdgesPastEof) throws IOException {
        long first = pos / blockSize;
        long last = (pos + len - 1) / blockSize;
        ExtentList map = f.extents();
        if (map.find(first) >= 0 && map.runFrom(first) > last - first) {
            return null;
        }
        synchronized (f.dataLock()) {
            map = f.extents();
            long holes = 0;
            for (long b = first; b <= last; ) {
                long run = Math.min(map.runFrom(b), last - b + 1);
                if (map.find(b) < 0) {
                    holes += run;
                }
                b += run;
            }
            if (holes == 0) {
                return null;
            }
            FilePageCache cache = cache(f);
            if (cache != null && (last + 1) * blockSize > device.capacity()) {
                // A file's page cache spans the device's capacity: that is this filesystem's s_maxbytes (EFBIG).
                throw new IOException("File too large");
            }
            allocator.reserveCheck(holes);
            long[] fresh = new long[0];
            ExtentList next = map;
            for (long b = first; b <= last; ) {
                long run = Math.min(map.runFrom(b), last - b + 1);
                if (map.find(b) < 0) {
                    long filled = 0;
                    while (filled < run) {
                        // Right after the file's previous block if that one is free, so a growing file stays whole.
                        long before = b + filled > 0 ? next.deviceBlock(b + filled - 1) : -1;
                        long[] got = allocator.allocate(run - filled, before >= 0 ? before + 1 : -1);
                        if (cache != null) {
                            cache.mapBlocks(b + filled, got[0], got[1]);
                        }
                        next = next.with(b + filled, got[0], got[1]);
                        fresh = append(fresh, b + filled, got[1]);
                        filled += got[1];
                    }
                }
                b += run;
            }
            long size = f.size();
            long firstStart = first * blockSize;
            long lastStart = last * blockSize;
            boolean headLeft = leaveEdgesPastEof && pos % blockSize != 0 && firstStart >= size
                    && isFresh(fresh, first);
            boolean tailLeft = leaveEdgesPastEof && (pos + len) % blockSize != 0 && lastStart >= size
                    && isFresh(fresh, last);
            zeroOutside(next, fresh, headLeft, tailLeft, pos, pos + len);
            f.extents(next);
            return new Fresh(fresh, headLeft, tailLeft);
        }
    }

    /**
     * After a write that stopped short at {@code end}: the new blocks it did not reach become holes again (as
     * ext4's unwritten extents read as zeros), and the rest of a new block it reached in part is zeroed.
     */
    void shortWrite(Inode f, long end, long[] fresh) throws IOException {
        if (fresh == null) {
            return;
        }
        synchronized (f.dataLock()) {
            long firstUnreached = (end + blockSize - 1) / blockSize;
            ExtentList map = f.extents();
            for (int k = 0; k < fresh.length; k += 2) {
                long start = fresh[k];
                long stop = fresh[k] + fresh[k + 1];
                if (end % blockSize != 0 && end / blockSize >= start && end / blockSize < stop) {
                    zeroFileRange(map, end, firstUnreached * blockSize - end);
                }
                long from = Math.max(start, firstUnreached);
                if (from < stop) {
                    releasing(f, from, stop);
                    map = map.without(from, stop - from, allocator::free);
                }
            }
            f.extents(map);
        }
    }

    /** Cuts the file to {@code newSize} bytes: frees the blocks past it and zeroes the tail of its last block. */
    void truncate(Inode f, long newSize) throws IOException {
        synchronized (f.dataLock()) {
            if (newSize >= f.size()) {
                return;
            }
            long keep = (newSize + blockSize - 1) / blockSize;
            int tail = (int) (newSize % blockSize);
            ExtentList map = f.extents();
            if (tail != 0) {
                long dev = map.deviceBlock(newSize / blockSize);
                if (dev >= 0) {
                    zero(dev * blockSize + tail, blockSize - tail);
                }
            }
            releasing(f, keep, Long.MAX_VALUE);
            f.extents(map.truncatedTo(keep, allocator::free));
            f.size(newSize);
            f.touch();
        }
    }

    /** Gives all the file's blocks back, when its last name and its last channel are gone. */
    void release(Inode f) {
        synchronized (f.dataLock()) {
            FilePageCache c = f.pageCache();
            if (c != null) {
                c.evict();
                f.pageCache(null);
            }
            f.extents(f.extents().truncatedTo(0, allocator::free));
        }
    }

    /**
     * Forgets the file's page cache without freeing its blocks: the volume is being restored to an image and
     * rebuilds its allocator from that. The caller has dropped or written back the cache's pages before.
     */
    void forget(Inode f) {
        synchronized (f.dataLock()) {
            FilePageCache c = f.pageCache();
            if (c != null) {
                c.evict();
                f.pageCache(null);
            }
        }
    }

    /** A file restored from an image: its page cache learns of every block the file maps. */
    void adopt(Inode f) {
        ExtentList map = f.extents();
        if (cached == null || map.size() == 0) {
            return;
        }
        FilePageCache c = cache(f);
        for (int i = 0; i < map.size(); i++) {
            c.mapBlocks(map.fileBlockAt(i), map.deviceBlockAt(i), map.blocksAt(i));
        }
    }

    private static boolean isFresh(long[] fresh, long block) {
        for (int k = 0; k < fresh.length; k += 2) {
            if (block >= fresh[k] && block < fresh[k] + fresh[k + 1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Zeroes the parts of the new ranges {@code fresh} outside {@code [from, to)}: a head part can only lie in the
     * write's first block and a tail part in its last, so the two flags keep those for the writer.
     */
    private void zeroOutside(ExtentList map, long[] fresh, boolean headLeft, boolean tailLeft, long from, long to)
            throws IOException {
        for (int k = 0; k < fresh.length; k += 2) {
            long start = fresh[k] * blockSize;
            long end = (fresh[k] + fresh[k + 1]) * blockSize;
            if (start < from && !headLeft) {
                zeroFileRange(map, start, Math.min(from, end) - start);
            }
            if (end > to && !tailLeft) {
                long s = Math.max(start, to);
                zeroFileRange(map, s, end - s);
            }
        }
    }

    private void zeroFileRange(ExtentList map, long fileOffset, long length) throws IOException {
        long done = 0;
        while (done < length) {
            long at = fileOffset + done;
            int i = map.find(at / blockSize);
            long piece = Math.min(length - done, map.bytesFrom(at, blockSize));
            if (i >= 0) {
                zero(map.deviceOffset(i, at, blockSize), piece);
            }
            done += piece;
        }
    }

    /** Writes zeros over {@code length} device bytes at {@code deviceOffset}, as this filesystem's own caller. */
    void zero(long deviceOffset, long length) throws IOException {
        long done = 0;
        while (done < length) {
            ByteBuffer z = ByteBuffer.wrap(ZEROS, 0, (int) Math.min(ZEROS.length, length - done));
            while (z.hasRemaining()) {
                if (device.write(z, deviceOffset + done + z.position(), IoMode.BUFFERED, zeroFill) <= 0) {
                    throw new IOException("the device wrote nothing while zeroing new blocks at " + (deviceOffset + done));
                }
            }
            done += z.limit();
        }
    }

    /** Puts {@code n} zero bytes into {@code dst}: how a hole reads. */
    static void putZeros(ByteBuffer dst, int n) {
        int left = n;
        while (left > 0) {
            int k = Math.min(left, ZEROS.length);
            dst.put(ZEROS, 0, k);
            left -= k;
        }
    }

    private static long[] append(long[] a, long block, long count) {
        long[] r = Arrays.copyOf(a, a.length + 2);
        r[a.length] = block;
        r[a.length + 1] = count;
        return r;
    }
}
