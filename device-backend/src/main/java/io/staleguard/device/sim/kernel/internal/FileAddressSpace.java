package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.sim.MediaPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One file as the {@link AddressSpace} of its page cache: file offsets go through the file's block runs to the
 * device's media. A fill reads mapped blocks as the block layer does (protection information verified, a mismatch
 * reported as a violation of {@code "page-cache fill"}) and holes as zeros; writeback stores the dirty blocks on
 * the device blocks that hold them, with fresh protection information. Its size is the device's: a file cannot
 * outgrow it, and the cache's read-ahead is bounded by the file's size, not by this one.
 */
final class FileAddressSpace implements AddressSpace {

    private final FileCache file;
    private final MediaPort dev;
    private final int blockSize;

    FileAddressSpace(FileCache file, MediaPort dev) {
        this.file = file;
        this.dev = dev;
        this.blockSize = dev.logicalBlockSize();
    }

    @Override
    public long size() {
        return dev.capacity();
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public ProtectionFormat protection() {
        return dev.protection();
    }

    @Override
    public void read(long offset, byte[] dst, int dstOff, int len) {
        BlockRuns runs = file.blocks();
        long block = offset / blockSize;
        long end = block + len / blockSize;
        while (block < end) {
            int i = runs.find(block);
            int at = dstOff + (int) ((block - offset / blockSize) * blockSize);
            if (i < 0) {
                long stop = Math.min(end, runs.nextStart(block));
                Arrays.fill(dst, at, at + (int) ((stop - block) * blockSize), (byte) 0);
                block = stop;
                continue;
            }
            long stop = Math.min(end, runs.end(i));
            dev.readMediaVerified(runs.target(i, block) * blockSize, dst, at, (int) ((stop - block) * blockSize),
                    DeviceAddressSpace.FILL);
            block = stop;
        }
    }

    /** Blocks that left the file meanwhile have no device block: nothing of them is written. */
    @Override
    public void write(long offset, byte[] src, int srcOff, int len, byte[] tuples, int tuplesOff) {
        BlockRuns runs = file.blocks();
        long block = offset / blockSize;
        long end = block + len / blockSize;
        while (block < end) {
            int i = runs.find(block);
            if (i < 0) {
                block = Math.min(end, runs.nextStart(block));
                continue;
            }
            long stop = Math.min(end, runs.end(i));
            int from = srcOff + (int) ((block - offset / blockSize) * blockSize);
            long deviceOffset = runs.target(i, block) * blockSize;
            try {
                dev.writeBack(deviceOffset, Arrays.copyOfRange(src, from, from + (int) ((stop - block) * blockSize)));
            } catch (IOException e) {
                throw new UncheckedIOException("writeback of file bytes [" + block * blockSize + ", "
                        + stop * blockSize + ") at device offset " + deviceOffset + " failed", e);
            }
            block = stop;
        }
    }

    /** The device offset of file byte {@code fileOffset}, or -1 if no block holds it. */
    long deviceOffset(long fileOffset) {
        BlockRuns runs = file.blocks();
        int i = runs.find(fileOffset / blockSize);
        return i < 0 ? -1 : runs.target(i, fileOffset / blockSize) * blockSize + fileOffset % blockSize;
    }
}
