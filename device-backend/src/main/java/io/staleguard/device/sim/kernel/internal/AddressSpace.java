package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.integrity.ProtectionFormat;

/**
 * What a {@link PageCache} caches ({@code struct address_space}): the bytes of one file or device
 * on its media. The deterministic scenarios back it with a byte array ({@link KernelStack}), the
 * threaded path with a simulated device ({@link DeviceAddressSpace}); a simulated filesystem backs
 * one per file.
 */
public interface AddressSpace {

    /** Size in bytes. */
    long size();

    /** Block size: the unit of dirty tracking and of protection information. */
    int blockSize();

    /** The protection format writeback computes tuples in ({@link ProtectionFormat#NONE}: none). */
    ProtectionFormat protection();

    /** A page fill's read I/O: {@code len} bytes (whole blocks) at {@code offset} into {@code dst}. */
    void read(long offset, byte[] dst, int dstOff, int len);

    /**
     * The write I/O of writeback or laundering: the media takes {@code len} bytes (whole blocks) of
     * {@code src} at {@code offset}, with the tuples computed when the writeback started, or null
     * when there are none (laundering, or no protection).
     */
    void write(long offset, byte[] src, int srcOff, int len, byte[] tuples, int tuplesOff);
}
