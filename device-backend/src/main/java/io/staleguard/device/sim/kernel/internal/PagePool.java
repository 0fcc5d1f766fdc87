package io.staleguard.device.sim.kernel.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory that several {@link PageCache}s share (the device's own cache and one per file): how many pages they
 * cache and how many of those are dirty, which is what reclaim and the background writeback threshold look at
 * ({@code NR_FILE_PAGES}, {@code NR_FILE_DIRTY}). Only the caches' steps change the counts.
 */
public final class PagePool {

    final AtomicInteger cached = new AtomicInteger();
    final AtomicInteger dirty = new AtomicInteger();

    /** Pages cached in every cache of the pool. */
    public int cachedPages() {
        return cached.get();
    }

    /** Dirty pages in every cache of the pool. */
    public int dirtyPages() {
        return dirty.get();
    }
}
