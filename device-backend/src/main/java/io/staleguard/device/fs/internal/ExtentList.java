package io.staleguard.device.fs.internal;

import java.util.Arrays;

/**
 * One file's block map, immutable: sorted, non-overlapping extents from file blocks to device blocks. Blocks
 * that no extent covers are holes and read as zeros. A lookup is a binary search over three arrays and
 * allocates nothing; a change builds a new list, which the file publishes in one volatile write.
 */
public final class ExtentList {

    /** The map of an empty file. */
    public static final ExtentList EMPTY = new ExtentList(new long[0], new long[0], new long[0]);

    private final long[] fileBlock;
    private final long[] deviceBlock;
    private final long[] blocks;

    private ExtentList(long[] fileBlock, long[] deviceBlock, long[] blocks) {
        this.fileBlock = fileBlock;
        this.deviceBlock = deviceBlock;
        this.blocks = blocks;
    }

    /** The number of extents. */
    public int size() {
        return fileBlock.length;
    }

    /** Blocks allocated to the file. */
    public long allocatedBlocks() {
        long n = 0;
        for (long b : blocks) {
            n += b;
        }
        return n;
    }

    /** The index of the extent holding {@code block}, or {@code -(insertion point) - 1} if it is in a hole. */
    public int find(long block) {
        int lo = 0;
        int hi = fileBlock.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (fileBlock[mid] + blocks[mid] <= block) {
                lo = mid + 1;
            } else if (fileBlock[mid] > block) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /** The device block under file block {@code block}, or -1 for a hole. */
    public long deviceBlock(long block) {
        int i = find(block);
        return i < 0 ? -1 : deviceBlock[i] + block - fileBlock[i];
    }

    /**
     * How many blocks from {@code block} on are of the same kind, all in one extent or all in one hole (a hole
     * after the last extent is endless: {@link Long#MAX_VALUE}).
     */
    public long runFrom(long block) {
        int i = find(block);
        if (i >= 0) {
            return fileBlock[i] + blocks[i] - block;
        }
        int next = -i - 1;
        return next < fileBlock.length ? fileBlock[next] - block : Long.MAX_VALUE;
    }

    /** Bytes from byte offset {@code at} to the end of its extent or hole, for blocks of {@code blockSize} bytes. */
    public long bytesFrom(long at, int blockSize) {
        long run = runFrom(at / blockSize);
        return run >= Long.MAX_VALUE / blockSize ? Long.MAX_VALUE : run * blockSize - at % blockSize;
    }

    /** The device byte offset under file byte offset {@code at}, which extent {@code i} holds. */
    public long deviceOffset(int i, long at, int blockSize) {
        return (deviceBlock[i] + at / blockSize - fileBlock[i]) * blockSize + at % blockSize;
    }

    /**
     * The file block on device block {@code device}, or -1 if this file does not own it: a scan of the extents,
     * for the rare reverse question (which file a violation is in), so the hot lookups keep their one order.
     */
    public long fileBlockOn(long device) {
        for (int i = 0; i < deviceBlock.length; i++) {
            if (device >= deviceBlock[i] && device < deviceBlock[i] + blocks[i]) {
                return fileBlock[i] + device - deviceBlock[i];
            }
        }
        return -1;
    }

    /** File block of extent {@code i}. */
    public long fileBlockAt(int i) {
        return fileBlock[i];
    }

    /** Device block of extent {@code i}. */
    public long deviceBlockAt(int i) {
        return deviceBlock[i];
    }

    /** Length in blocks of extent {@code i}. */
    public long blocksAt(int i) {
        return blocks[i];
    }

    /** This map plus file blocks {@code [file, file + count)} on device blocks from {@code device}, in a hole. */
    public ExtentList with(long file, long device, long count) {
        int at = find(file);
        if (at >= 0) {
            throw new IllegalStateException("file block " + file + " is already mapped");
        }
        int i = -at - 1;
        if (i > 0 && fileBlock[i - 1] + blocks[i - 1] == file && deviceBlock[i - 1] + blocks[i - 1] == device) {
            long[] b = blocks.clone();
            b[i - 1] += count;
            ExtentList merged = new ExtentList(fileBlock, deviceBlock, b);
            return i < fileBlock.length && fileBlock[i] == file + count && deviceBlock[i] == device + count
                    ? merged.mergeNext(i - 1) : merged;
        }
        long[] f = insert(fileBlock, i, file);
        long[] d = insert(deviceBlock, i, device);
        long[] b = insert(blocks, i, count);
        return new ExtentList(f, d, b);
    }

    private ExtentList mergeNext(int i) {
        long[] b = blocks.clone();
        b[i] += b[i + 1];
        return new ExtentList(remove(fileBlock, i + 1), remove(deviceBlock, i + 1), remove(b, i + 1));
    }

    /**
     * The map cut to its first {@code keepBlocks} file blocks; {@code freed} receives each released device range
     * as {@code (firstDeviceBlock, blocks)}.
     */
    public ExtentList truncatedTo(long keepBlocks, Freed freed) {
        int n = 0;
        long[] b = blocks.clone();
        for (int i = 0; i < fileBlock.length; i++) {
            long end = fileBlock[i] + blocks[i];
            if (fileBlock[i] >= keepBlocks) {
                freed.free(deviceBlock[i], blocks[i]);
            } else {
                if (end > keepBlocks) {
                    long keep = keepBlocks - fileBlock[i];
                    freed.free(deviceBlock[i] + keep, blocks[i] - keep);
                    b[i] = keep;
                }
                n = i + 1;
            }
        }
        return n == 0 ? EMPTY : new ExtentList(Arrays.copyOf(fileBlock, n), Arrays.copyOf(deviceBlock, n),
                Arrays.copyOf(b, n));
    }

    /**
     * This map with file blocks {@code [from, from + count)} made a hole again; {@code freed} receives each
     * released device range.
     */
    public ExtentList without(long from, long count, Freed freed) {
        long to = from + count;
        ExtentList out = EMPTY;
        for (int i = 0; i < fileBlock.length; i++) {
            long start = fileBlock[i];
            long end = start + blocks[i];
            if (end <= from || start >= to) {
                out = out.append(start, deviceBlock[i], blocks[i]);
                continue;
            }
            if (start < from) {
                out = out.append(start, deviceBlock[i], from - start);
            }
            long cutStart = Math.max(start, from);
            long cutEnd = Math.min(end, to);
            freed.free(deviceBlock[i] + cutStart - start, cutEnd - cutStart);
            if (end > to) {
                out = out.append(to, deviceBlock[i] + to - start, end - to);
            }
        }
        return out;
    }

    private ExtentList append(long file, long device, long count) {
        int n = fileBlock.length;
        long[] f = Arrays.copyOf(fileBlock, n + 1);
        long[] d = Arrays.copyOf(deviceBlock, n + 1);
        long[] b = Arrays.copyOf(blocks, n + 1);
        f[n] = file;
        d[n] = device;
        b[n] = count;
        return new ExtentList(f, d, b);
    }

    /** Receives device ranges given back. */
    @FunctionalInterface
    public interface Freed {
        /** Blocks {@code [first, first + count)} are no longer the file's. */
        void free(long first, long count);
    }

    private static long[] insert(long[] a, int i, long v) {
        long[] r = new long[a.length + 1];
        System.arraycopy(a, 0, r, 0, i);
        r[i] = v;
        System.arraycopy(a, i, r, i + 1, a.length - i);
        return r;
    }

    private static long[] remove(long[] a, int i) {
        long[] r = new long[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < fileBlock.length; i++) {
            s.append(i == 0 ? "" : ", ").append(fileBlock[i]).append("+").append(blocks[i]).append("@").append(deviceBlock[i]);
        }
        return s.append(']').toString();
    }
}
