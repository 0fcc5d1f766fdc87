package io.staleguard.device.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * A memory-mapped range of a real device ({@link java.nio.channels.FileChannel#map}). Stores go
 * through the mapping and are told to the history oracle and the protection-information store as
 * writes of the blocks they touch, so coherent mmap use stays clean; loads are checked by the
 * oracle as served data.
 *
 * <p>Mixing mmap stores with O_DIRECT writes on the same range is documented by the kernel as
 * unsupported; what the detectors find on such blocks is reported as
 * {@link io.staleguard.device.ViolationKind#UNSUPPORTED_MIXING}.
 */
public final class MappedRegion {

    private final RealBlockDevice device;
    private final MappedByteBuffer map;
    private final long offset;
    private final int length;

    MappedRegion(RealBlockDevice device, MappedByteBuffer map, long offset, int length) {
        this.device = device;
        this.map = map;
        this.offset = offset;
        this.length = length;
    }

    /** First device byte of the region. */
    public long offset() {
        return offset;
    }

    /** Length in bytes. */
    public int length() {
        return length;
    }

    /** Stores {@code src}'s remaining bytes at {@code index} (relative to the region); advances {@code src}. */
    public void put(int index, ByteBuffer src) throws IOException {
        int n = src.remaining();
        check(index, n);
        device.mappedStore(this, index, src);
    }

    /** Stores {@code src} at {@code index}. */
    public void put(int index, byte[] src) throws IOException {
        put(index, ByteBuffer.wrap(src));
    }

    /** Loads {@code dst.length} bytes from {@code index}; whole blocks among them are checked by the oracle. */
    public void get(int index, byte[] dst) {
        check(index, dst.length);
        map.get(index, dst, 0, dst.length);
        device.mappedLoad(offset + index, dst);
    }

    /** msync: writes the region's dirty pages back. */
    public void force() {
        map.force();
    }

    MappedByteBuffer buffer() {
        return map;
    }

    private void check(int index, int n) {
        if (index < 0 || n < 0 || (long) index + n > length) {
            throw new IndexOutOfBoundsException("range [" + index + ",+" + n + ") is outside the mapped region of "
                    + length + " bytes at device offset " + offset);
        }
    }
}
