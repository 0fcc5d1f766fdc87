package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.sim.kernel.FilePageCache;
import java.util.function.LongSupplier;

/**
 * One file's page cache under real threads: its {@link ThreadedSpace} over a {@link FileAddressSpace}, the file's
 * block runs (which device blocks hold which file blocks) and its size, which bounds read-ahead. The device's
 * {@link FileCaches} learns of each run too, so that a device call on the file's blocks finds this cache.
 */
final class FileCache implements FilePageCache {

    private final FileCaches registry;
    private final LongSupplier size;
    private final long deviceBlocks;
    private volatile BlockRuns blocks = BlockRuns.EMPTY;
    private ThreadedSpace space;

    FileCache(FileCaches registry, LongSupplier size, long deviceBlocks) {
        this.registry = registry;
        this.size = size;
        this.deviceBlocks = deviceBlocks;
    }

    /** Completes the construction: the space needs this file for its address space. */
    void space(ThreadedSpace s) {
        this.space = s;
    }

    ThreadedSpace space() {
        return space;
    }

    /** The file's size now ({@code i_size}). */
    long size() {
        return size.getAsLong();
    }

    /** The file's block runs now: file block to device block. */
    BlockRuns blocks() {
        return blocks;
    }

    @Override
    public void mapBlocks(long fileBlock, long deviceBlock, long count) {
        if (fileBlock < 0 || deviceBlock < 0 || count <= 0 || deviceBlock > deviceBlocks - count) {
            throw new IllegalArgumentException("file blocks [" + fileBlock + ", +" + count + ") at device block "
                    + deviceBlock + " are not a range of the device's " + deviceBlocks + " blocks");
        }
        synchronized (registry) {
            // The file's own runs first: a device call that finds this file through the registry maps through them.
            blocks = blocks.with(fileBlock, deviceBlock, count, null);
            registry.map(deviceBlock, fileBlock, count, this);
        }
    }

    @Override
    public void releaseBlocks(long fromBlock, long toBlock) {
        long to = Math.min(toBlock, deviceBlocks);
        if (fromBlock >= to) {
            return;
        }
        int bs = space.cache.space().blockSize();
        space.truncate(fromBlock * bs, to * bs);
        synchronized (registry) {
            BlockRuns runs = blocks;
            for (int i = 0; i < runs.size(); i++) {
                long a = Math.max(fromBlock, runs.start(i));
                long b = Math.min(to, runs.end(i));
                if (a < b) {
                    registry.unmap(runs.target(i, a), runs.target(i, a) + (b - a));
                }
            }
            blocks = runs.without(fromBlock, to);
        }
    }

    @Override
    public void fsync() {
        space.writebackAll(true, true);
    }

    @Override
    public int fsync(int[] cursor, boolean failWriteback) {
        space.writebackAll(true, true, failWriteback);
        int err = space.cache.errors().checkAndAdvance(cursor);
        return err != 0 ? err : failWriteback ? ErrSeq.EIO : 0;
    }

    @Override
    public int sampleWritebackError() {
        return space.cache.errors().sample();
    }

    @Override
    public void evict() {
        releaseBlocks(0, deviceBlocks);
        registry.remove(this);
    }

    @Override
    public int cachedPages() {
        return space.cache.nrpages();
    }

    @Override
    public int dirtyPages() {
        return space.cache.dirtyPages();
    }
}
