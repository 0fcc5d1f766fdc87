package io.staleguard.device.fs.crash.internal;

/**
 * Where the persistence log keeps the bytes its writes carried. The log's byte arena implements it; a crash image
 * copies a kept write's units from it.
 */
@FunctionalInterface
public interface RecordedBytes {

    /** Copies {@code len} bytes recorded at {@code arenaOff} into {@code dst} at {@code dstOff}. */
    void copy(long arenaOff, int len, byte[] dst, int dstOff);
}
