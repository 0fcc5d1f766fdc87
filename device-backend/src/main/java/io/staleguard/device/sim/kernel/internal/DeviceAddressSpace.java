package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.sim.MediaPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A whole device (its {@link MediaPort}) as the {@link AddressSpace} of the threaded page cache: a fill
 * reads the media as the block layer does (protection information verified, a mismatch reported
 * as a violation of the thread {@code "page-cache fill"}), writeback stores blocks with fresh
 * protection information. The one place the page cache touches the device.
 */
final class DeviceAddressSpace implements AddressSpace {

    /** The thread name a page fill's verification failures carry. */
    static final String FILL = "page-cache fill";

    private final MediaPort dev;

    DeviceAddressSpace(MediaPort dev) {
        this.dev = dev;
    }

    @Override
    public long size() {
        return dev.capacity();
    }

    @Override
    public int blockSize() {
        return dev.logicalBlockSize();
    }

    @Override
    public ProtectionFormat protection() {
        return dev.protection();
    }

    @Override
    public void read(long offset, byte[] dst, int dstOff, int len) {
        dev.readMediaVerified(offset, dst, dstOff, len, FILL);
    }

    /** The page cache verified the bytes against its tuples already; the device stores its own. */
    @Override
    public void write(long offset, byte[] src, int srcOff, int len, byte[] tuples, int tuplesOff) {
        try {
            dev.writeBack(offset, Arrays.copyOfRange(src, srcOff, srcOff + len));
        } catch (IOException e) {
            throw new UncheckedIOException("writeback of [" + offset + ", +" + len + ") failed", e);
        }
    }
}
