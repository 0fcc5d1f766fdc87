package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.sim.PathOperation;
import java.io.IOException;

/**
 * What a {@link io.staleguard.device.sim.kernel.KernelIoPath} runs on under real threads: the page
 * cache ({@link ThreadedPageCache}) or DAX ({@link ThreadedDax}). The path hands it every operation
 * at its DMA moment; a {@link io.staleguard.device.sim.kernel.KernelMapping} hands it mapped loads and
 * stores.
 */
public interface KernelBackend {

    /** Sees an operation at its submission, before its DMA delay ({@link io.staleguard.device.sim.IoPath#submitted}). */
    void submitted(PathOperation op);

    /** Performs an operation at its DMA moment. */
    void transfer(PathOperation op) throws IOException;

    /** Writes back what is dirty and waits for it (flush, fsync). */
    void writebackAll();

    /**
     * As {@link #writebackAll()}; with {@code fail}, the device fails every page this writeback takes: the pages stay
     * clean, their data never lands, and each cache's mapping records EIO ({@link ErrSeq}).
     */
    default void writebackAll(boolean fail) {
        writebackAll();
    }

    /** The writeback error of the device's own mapping, which raw-device callers report from. */
    ErrSeq deviceErrors();

    /** {@code echo 1 > /proc/sys/vm/drop_caches}: evicts every clean, unmapped page of every cache. */
    default void dropCaches() {
    }

    /** Writes back what is dirty and stops background threads; releases anything held. */
    void close();

    /**
     * The power is lost: forget every cached page, mapping entry and pending invalidation without
     * writeback, with no background thread left running; stay usable for the I/O after it.
     */
    void powerLost();

    /** Pages held in page caches now, the device's and its files' (0 where there is none). */
    int cachedPages();

    /** A mapped load of {@code n} bytes at device offset {@code off}, checked by the history oracle. */
    void loadBytes(long off, byte[] dst, int dstOff, int n, String thread);

    /** A mapped store of {@code n} bytes at device offset {@code off}. */
    void storeBytes(long off, byte[] src, int srcOff, int n, String thread);

    /** {@code msync} of a range. */
    void syncRange(long off, long n);
}
