package io.staleguard.device.file;

import static org.apiguardian.api.API.Status.STABLE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import org.apiguardian.api.API;

/**
 * A memory-mapped range of a real device ({@link java.nio.channels.FileChannel#map}). Stores go
 * through the mapping and are told to the history oracle and the protection-information store as
 * writes of the blocks they touch, so coherent mmap use stays clean; loads are checked by the
 * oracle as served data.
 *
 * <p>Like any memory, a mapping gives no atomicity: a program that loads or reads a block while
 * it stores into it must synchronize the two itself.
 *
 * <p>Mixing mmap stores with O_DIRECT writes on the same range is documented by the kernel as
 * unsupported; what the detectors find on such blocks is reported as
 * {@link io.staleguard.device.ViolationKind#UNSUPPORTED_MIXING}.
 */
@API(status = STABLE, since = "0.1")
public final class MappedRegion implements AutoCloseable {

    private final RealBlockDevice device;
    private final MappedByteBuffer map;
    private final long offset;
    private final int length;
    /** Accesses hold the read lock; unmapping takes the write lock, so no access ever touches unmapped memory. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock lock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    private boolean unmapped;

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
        lock.readLock().lock();
        try {
            requireMapped();
            device.mappedStore(this, index, src);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Stores {@code src} at {@code index}. */
    public void put(int index, byte[] src) throws IOException {
        put(index, ByteBuffer.wrap(src));
    }

    /** Loads {@code dst.length} bytes from {@code index}; whole blocks among them are checked by the oracle. */
    public void get(int index, byte[] dst) throws IOException {
        check(index, dst.length);
        lock.readLock().lock();
        try {
            requireMapped();
            map.get(index, dst, 0, dst.length);
        } finally {
            lock.readLock().unlock();
        }
        device.mappedLoad(offset + index, dst);
    }

    /**
     * msync: writes the region's dirty pages back. An EIO after mmap stores were mixed with
     * O_DIRECT writes on this range is also recorded as unsupported mixing.
     */
    public void force() throws IOException {
        lock.readLock().lock();
        try {
            requireMapped();
            device.mappedForce(this);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Unmaps the region now (also done when the device closes); later calls throw. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!unmapped) {
                unmapped = true;
                io.staleguard.device.file.internal.Unmapper.unmap(map);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void requireMapped() throws IOException {
        if (unmapped) {
            throw new java.nio.channels.ClosedChannelException();
        }
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
