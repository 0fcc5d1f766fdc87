package io.staleguard.device.sim.kernel.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files' page caches of one device: which file owns which device blocks (the reverse of their block runs), so
 * that a device call on a file's blocks is served by that file's cache, and the set of files the flusher looks at.
 * Lookups take no lock; changes are made under this object's monitor.
 */
final class FileCaches {

    private volatile BlockRuns owners = BlockRuns.EMPTY;
    private final Set<FileCache> files = ConcurrentHashMap.newKeySet();

    /** Device block to file runs now; the owner of a run is its {@link FileCache}, the target its file block. */
    BlockRuns owners() {
        return owners;
    }

    void add(FileCache f) {
        files.add(f);
    }

    void remove(FileCache f) {
        files.remove(f);
    }

    /** The files now. */
    List<FileCache> files() {
        return new ArrayList<>(files);
    }

    /** Whether there is no file. */
    boolean isEmpty() {
        return files.isEmpty();
    }

    /** Caller holds this monitor. */
    void map(long deviceBlock, long fileBlock, long count, FileCache f) {
        owners = owners.with(deviceBlock, fileBlock, count, f);
    }

    /** Caller holds this monitor. */
    void unmap(long fromDeviceBlock, long toDeviceBlock) {
        owners = owners.without(fromDeviceBlock, toDeviceBlock);
    }
}
