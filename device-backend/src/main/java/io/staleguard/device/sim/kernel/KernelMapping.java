package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.sim.kernel.internal.KernelBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apiguardian.api.API;

/**
 * A shared mapping of part of a simulated device, through its simulated page cache (Java's
 * {@code MappedByteBuffer} cannot be subclassed). Loads read the cached pages and are checked by the
 * history oracle; stores write them, and a store to a page that writeback has write-protected faults
 * into {@code page_mkwrite}, which waits for the writeback only when
 * {@link KernelConfig#stablePages()} is {@link StablePages#WAIT_IN_WRITE_AND_MKWRITE}. On a DAX path
 * ({@link KernelIoPath#dax(KernelConfig)}) loads fault pages in through the mapping entries (the zero
 * page for a hole, else the media) and stores write-fault and go to the media; {@link #sync()} then
 * has nothing to do. Positions are relative to the start of the mapping. Thread safe.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class KernelMapping {

    private final KernelBackend memory;
    private final long offset;
    private final long length;

    KernelMapping(KernelBackend memory, long offset, long length) {
        this.memory = memory;
        this.offset = offset;
        this.length = length;
    }

    /** The device offset of the mapping's first byte. */
    public long offset() {
        return offset;
    }

    /** The mapping's length in bytes. */
    public long length() {
        return length;
    }

    /** Loads {@code dst.remaining()} bytes from {@code position}; advances {@code dst}. */
    public void get(long position, ByteBuffer dst) {
        int n = dst.remaining();
        check(position, n);
        byte[] b = new byte[n];
        memory.loadBytes(offset + position, b, 0, n, Thread.currentThread().getName());
        dst.put(b);
    }

    /** Stores {@code src.remaining()} bytes at {@code position}; advances {@code src}. */
    public void put(long position, ByteBuffer src) {
        int n = src.remaining();
        check(position, n);
        byte[] b = new byte[n];
        src.get(b);
        memory.storeBytes(offset + position, b, 0, n, Thread.currentThread().getName());
    }

    /** Loads a big-endian long. */
    public long getLong(long position) {
        ByteBuffer b = ByteBuffer.allocate(8);
        get(position, b);
        return b.flip().order(ByteOrder.BIG_ENDIAN).getLong();
    }

    /** Stores a big-endian long. */
    public void putLong(long position, long value) {
        put(position, ByteBuffer.allocate(8).putLong(0, value));
    }

    /** {@code msync}: writes the dirty pages of the mapping back now. */
    public void sync() {
        memory.syncRange(offset, length);
    }

    private void check(long position, int n) {
        if (position < 0 || position + n > length) {
            throw new IndexOutOfBoundsException("access [" + position + ", +" + n + ") outside the mapping of "
                    + length + " bytes");
        }
    }
}
