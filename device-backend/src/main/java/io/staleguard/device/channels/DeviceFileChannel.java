package io.staleguard.device.channels;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.channels.internal.ChannelChecks;
import io.staleguard.device.core.VerifyingDevice;
import io.staleguard.device.core.internal.IoArguments;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.PositionTracker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link FileChannel} over a {@link BlockDevice}: every read and write is a device call with
 * this channel as its {@link IoCaller}, in the mode the channel was opened with. Short transfers
 * of the device are returned to the caller exactly as {@code FileChannel} may return them. On a
 * {@link VerifyingDevice}, relative calls at a position another thread moved are
 * {@link io.staleguard.device.ViolationKind#POSITION_RACE POSITION_RACE}s ({@link PositionTracker}).
 */
final class DeviceFileChannel extends FileChannel {

    private static final int COPY_CHUNK = 64 << 10;

    private final BlockDevice device;
    private final ChannelOptions options;
    private final IoCaller caller;
    private final IoMode mode;
    private final ChannelCore core;
    private final Object positionLock = new Object();
    /** Null when the device has no detectors; every call is made with {@link #positionLock} held. */
    private final PositionTracker positions;
    private long position;

    DeviceFileChannel(BlockDevice device, ChannelOptions options, IoCaller caller) {
        this.device = device;
        this.options = options;
        this.caller = caller;
        this.mode = options.mode();
        this.core = new ChannelCore(device, options, caller);
        this.positions = device instanceof VerifyingDevice v ? positionTracker(v, caller) : null;
    }

    private static PositionTracker positionTracker(VerifyingDevice device, IoCaller caller) {
        HistoryOracle oracle = device.oracle();
        return new PositionTracker(caller.name(), device.logicalBlockSize(), device.recorder(),
                device.operationLog(), oracle != null ? oracle::instant : System::nanoTime);
    }

    IoCaller caller() {
        return caller;
    }

    private void ensureOpen() throws IOException {
        ChannelChecks.ensureOpen(this);
    }

    private void ensureReadable() {
        core.ensureReadable();
    }

    private void ensureWritable() {
        core.ensureWritable();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        ensureOpen();
        ensureReadable();
        synchronized (positionLock) {
            if (positions != null) {
                positions.beforeRelative(false, position, dst.remaining());
            }
            int n = device.read(dst, position, mode, caller.relative());
            if (n > 0) {
                position += n;
            }
            if (positions != null) {
                positions.advanced(false, position, n);
            }
            return n;
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        ByteBuffer[] sub = subArray(dsts, offset, length);
        ensureOpen();
        ensureReadable();
        synchronized (positionLock) {
            if (positions != null) {
                positions.beforeRelative(false, position, sub);
            }
            long n = device.read(sub, position, mode, caller.relative());
            if (n > 0) {
                position += n;
            }
            if (positions != null) {
                positions.advanced(false, position, n);
            }
            return n;
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        ensureOpen();
        ensureWritable();
        int n;
        synchronized (positionLock) {
            if (positions != null) {
                positions.beforeRelative(true, position, src.remaining());
            }
            n = device.write(src, position, mode, caller.relative());
            if (n > 0) {
                position += n;
            }
            if (positions != null) {
                positions.advanced(true, position, n);
            }
        }
        syncIfAsked();
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        ByteBuffer[] sub = subArray(srcs, offset, length);
        ensureOpen();
        ensureWritable();
        long n;
        synchronized (positionLock) {
            if (positions != null) {
                positions.beforeRelative(true, position, sub);
            }
            n = device.write(sub, position, mode, caller.relative());
            if (n > 0) {
                position += n;
            }
            if (positions != null) {
                positions.advanced(true, position, n);
            }
        }
        syncIfAsked();
        return n;
    }

    @Override
    public int read(ByteBuffer dst, long pos) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (pos < 0) {
            throw new IllegalArgumentException("Negative position: " + pos);
        }
        ensureOpen();
        ensureReadable();
        return device.read(dst, pos, mode, caller);
    }

    @Override
    public int write(ByteBuffer src, long pos) throws IOException {
        Objects.requireNonNull(src, "src");
        if (pos < 0) {
            throw new IllegalArgumentException("Negative position: " + pos);
        }
        ensureOpen();
        ensureWritable();
        int n = device.write(src, pos, mode, caller);
        syncIfAsked();
        return n;
    }

    private void syncIfAsked() throws IOException {
        if (options.sync()) {
            force(true);
        }
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        synchronized (positionLock) {
            if (positions != null) {
                positions.observed(position);
            }
            return position;
        }
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("Negative position: " + newPosition);
        }
        ensureOpen();
        synchronized (positionLock) {
            position = newPosition;
            if (positions != null) {
                positions.set(newPosition);
            }
        }
        return this;
    }

    /** The device's capacity: a block device's size is fixed. */
    @Override
    public long size() throws IOException {
        return core.size(this);
    }

    /** See {@link ChannelCore#truncate}; the position moves back to {@code size} if it was beyond. */
    @Override
    public FileChannel truncate(long size) throws IOException {
        core.truncate(this, size);
        synchronized (positionLock) {
            if (position > size) {
                position = size;
                if (positions != null) {
                    positions.truncated(size);
                }
            }
        }
        return this;
    }

    /** Flushes the device and resolves (or flags) this channel's short writes. */
    @Override
    public void force(boolean metaData) throws IOException {
        core.force(this);
    }

    @Override
    public long transferTo(long pos, long count, WritableByteChannel target) throws IOException {
        Objects.requireNonNull(target, "target");
        if (pos < 0 || count < 0) {
            throw new IllegalArgumentException("Negative position or count: position " + pos + ", count " + count);
        }
        ensureOpen();
        ensureReadable();
        long end = Math.min(device.capacity(), pos + Math.min(count, Long.MAX_VALUE - pos));
        long done = 0;
        int bs = device.logicalBlockSize();
        ByteBuffer bounce = bounce(COPY_CHUNK + 2 * bs);
        while (pos + done < end) {
            long at = pos + done;
            long want = Math.min(end - at, COPY_CHUNK);
            long readFrom = mode == IoMode.DIRECT ? at - Math.floorMod(at, bs) : at;
            long readEnd = mode == IoMode.DIRECT ? roundUp(at + want, bs) : at + want;
            bounce.clear().limit((int) (readEnd - readFrom));
            int n = device.read(bounce, readFrom, mode, caller);
            if (n <= 0) {
                break;
            }
            long usable = Math.min(readFrom + n, at + want) - at;
            if (usable <= 0) {
                break;
            }
            bounce.limit((int) (at - readFrom + usable)).position((int) (at - readFrom));
            int written = target.write(bounce);
            done += written;
            if (written < usable) {
                break;
            }
        }
        return done;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long pos, long count) throws IOException {
        Objects.requireNonNull(src, "src");
        if (pos < 0 || count < 0) {
            throw new IllegalArgumentException("Negative position or count: position " + pos + ", count " + count);
        }
        ensureOpen();
        ensureWritable();
        int bs = device.logicalBlockSize();
        if (mode == IoMode.DIRECT) {
            IoArguments.checkDirect(bounce(bs), pos, bs);
            if (count % bs != 0) {
                throw new IOException("Number of remaining bytes (" + count + ") is not a multiple of the block size ("
                        + bs + ")");
            }
        }
        long end = Math.min(device.capacity(), pos + Math.min(count, Long.MAX_VALUE - pos));
        ByteBuffer bounce = bounce(COPY_CHUNK);
        long done = 0;
        while (pos + done < end) {
            int want = (int) Math.min(end - pos - done, COPY_CHUNK);
            bounce.clear().limit(want);
            int got = src.read(bounce);
            if (got <= 0) {
                break;
            }
            if (mode == IoMode.DIRECT && got % bs != 0) {
                // O_DIRECT cannot write a partial block: keep reading until the block is whole.
                while (bounce.position() % bs != 0 && bounce.hasRemaining()) {
                    if (src.read(bounce) <= 0) {
                        throw new IOException("source ended after " + (done + bounce.position())
                                + " bytes, not a multiple of the block size (" + bs + ") required by direct I/O");
                    }
                }
            }
            bounce.flip();
            while (bounce.hasRemaining()) {
                int n = device.write(bounce, pos + done, mode, caller);
                done += n;
            }
        }
        syncIfAsked();
        return done;
    }

    private ByteBuffer bounce(int size) {
        if (mode == IoMode.DIRECT) {
            int bs = device.logicalBlockSize();
            return ByteBuffer.allocateDirect(size + bs).alignedSlice(bs);
        }
        return ByteBuffer.allocate(size);
    }

    private static long roundUp(long v, int bs) {
        return (v + bs - 1) / bs * bs;
    }

    /**
     * Always throws: a block device has no page-cache mapping to share with this process. For
     * mmap behaviour use the simulated mapped-region API of the simulated kernel stack
     * ({@code io.staleguard.device.sim.kernel}).
     */
    @Override
    public MappedByteBuffer map(MapMode mapMode, long pos, long size) {
        throw new UnsupportedOperationException("map is not supported on a Staleguard device channel: a device has no "
                + "page-cache mapping to share with this process, so stores through a MappedByteBuffer could not be "
                + "verified; on a simulated device with a kernel preset (the JUnit extension's default) use "
                + "io.staleguard.device.sim.kernel.KernelIoPath.map(device, offset, length), a KernelMapping whose "
                + "loads and stores go through the simulated page cache (" + device.describe() + ")");
    }

    @Override
    public FileLock lock(long pos, long size, boolean shared) throws IOException {
        return tryLock(pos, size, shared);
    }

    /** In-process range locks: an overlapping lock held through any channel of the device throws. */
    @Override
    public FileLock tryLock(long pos, long size, boolean shared) throws IOException {
        return core.tryLock(this, pos, size, shared,
                (ch, p, s, sh) -> new DeviceLocks.RangeLock(this, device, p, s, sh));
    }

    @Override
    protected void implCloseChannel() {
        core.closed(this);
    }

    static ByteBuffer[] subArray(ByteBuffer[] bufs, int offset, int length) {
        Objects.requireNonNull(bufs, "buffer array");
        Objects.checkFromIndexSize(offset, length, bufs.length);
        return offset == 0 && length == bufs.length ? bufs : Arrays.copyOfRange(bufs, offset, offset + length);
    }

    @Override
    public String toString() {
        return caller.name();
    }
}
