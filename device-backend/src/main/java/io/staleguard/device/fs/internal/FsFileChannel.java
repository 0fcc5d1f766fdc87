package io.staleguard.device.fs.internal;

import io.staleguard.device.FileLocation;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.channels.internal.ChannelChecks;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.PositionTracker;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link FileChannel} on a regular file of the simulated filesystem. It is one {@link IoCaller} of the device:
 * positional calls are positional device calls, relative calls relative ones, so the device's short-transfer
 * tracker judges this channel as it judges a raw device channel. Relative calls at a position another thread moved
 * are {@link io.staleguard.device.ViolationKind#POSITION_RACE POSITION_RACE}s, located in the file.
 */
final class FsFileChannel extends FileChannel {

    private static final int COPY_CHUNK = 64 << 10;

    /** Every call is made with {@link #positionLock} held. */
    private final PositionTracker positions;
    private final Volume volume;
    private final FsPath path;
    private final Inode file;
    private final FileData data;
    private final FsOpenOptions options;
    private final IoMode mode;
    private final IoCaller caller;
    private final IoCaller relative;
    private final Object positionLock = new Object();
    private long position;
    /** The file's writeback error as this channel last reported it ({@code file->f_wb_err}), sampled at open. */
    private final int[] wbCursor;

    FsFileChannel(Volume volume, FsPath path, Inode file, FsOpenOptions options, IoCaller caller) {
        this.positions = positionTracker(volume, file, caller);
        this.volume = volume;
        this.path = path;
        this.file = file;
        this.data = volume.data();
        this.options = options;
        this.mode = options.mode();
        this.caller = caller;
        this.relative = caller.relative();
        this.wbCursor = volume.writebackCursor(file);
    }

    /** After a relative write of {@code n} bytes to {@code to}; an append put the position at the end of the file. */
    private void moved(long to, long n) {
        if (options.append()) {
            positions.appended(to, n);
        } else {
            positions.advanced(true, to, n);
        }
    }

    /** The position tracker of a channel on {@code file}: positions are file offsets, located in the file. */
    private static PositionTracker positionTracker(Volume volume, Inode file, IoCaller caller) {
        SimulatedDevice device = volume.device();
        HistoryOracle oracle = device.oracle();
        int bs = device.logicalBlockSize();
        return new PositionTracker(caller.name(), bs, device.recorder(), device.operationLog(),
                oracle != null ? oracle::instant : System::nanoTime,
                pos -> {
                    String path = volume.pathOf(file);
                    return path == null ? null : new FileLocation(path, pos);
                },
                pos -> {
                    ExtentList extents = file.extents();
                    int i = extents.find(pos / bs);
                    return i < 0 ? -1 : extents.deviceOffset(i, pos, bs);
                });
    }

    IoCaller caller() {
        return caller;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        ChannelChecks.ensureOpen(this);
        ChannelChecks.ensureReadable(options.read());
        synchronized (positionLock) {
            positions.beforeRelative(false, position, dst.remaining());
            int n = data.read(file, dst, position, mode, relative);
            if (n > 0) {
                position += n;
            }
            positions.advanced(false, position, n);
            return n;
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        ByteBuffer[] sub = subArray(dsts, offset, length);
        ChannelChecks.ensureOpen(this);
        ChannelChecks.ensureReadable(options.read());
        synchronized (positionLock) {
            positions.beforeRelative(false, position, sub);
            long n = data.read(file, sub, position, mode, relative);
            if (n > 0) {
                position += n;
            }
            positions.advanced(false, position, n);
            return n;
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        ChannelChecks.ensureOpen(this);
        ChannelChecks.ensureWritable(options.write());
        int n;
        synchronized (positionLock) {
            if (options.append()) {
                position = file.size();
            } else {
                positions.beforeRelative(true, position, src.remaining());
            }
            n = data.write(file, src, position, mode, relative);
            moved(position + n, n);
            position += n;
        }
        syncIfAsked(n);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        ByteBuffer[] sub = subArray(srcs, offset, length);
        ChannelChecks.ensureOpen(this);
        ChannelChecks.ensureWritable(options.write());
        long n;
        synchronized (positionLock) {
            if (options.append()) {
                position = file.size();
            } else {
                positions.beforeRelative(true, position, sub);
            }
            n = data.write(file, sub, position, mode, relative);
            moved(position + n, n);
            position += n;
        }
        syncIfAsked(n);
        return n;
    }

    @Override
    public int read(ByteBuffer dst, long pos) throws IOException {
        Objects.requireNonNull(dst);
        if (pos < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        ChannelChecks.ensureOpen(this);
        ChannelChecks.ensureReadable(options.read());
        return data.read(file, dst, pos, mode, caller);
    }

    /** A positional write; with APPEND it appends, as {@code pwrite} on a Linux file opened O_APPEND does. */
    @Override
    public int write(ByteBuffer src, long pos) throws IOException {
        Objects.requireNonNull(src);
        if (pos < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        ChannelChecks.ensureOpen(this);
        ChannelChecks.ensureWritable(options.write());
        int n = data.write(file, src, options.append() ? file.size() : pos, mode, caller);
        syncIfAsked(n);
        return n;
    }

    /** O_SYNC/O_DSYNC: a write that wrote something syncs it before it returns, as {@code generic_write_sync}. */
    private void syncIfAsked(long written) throws IOException {
        if (options.sync() && written > 0) {
            volume.syncWrite(path, file, caller, options.syncMetadata(), wbCursor);
        }
    }

    @Override
    public long position() throws IOException {
        ChannelChecks.ensureOpen(this);
        synchronized (positionLock) {
            long at = options.append() ? file.size() : position;
            positions.observed(at);
            return at;
        }
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException();
        }
        ChannelChecks.ensureOpen(this);
        synchronized (positionLock) {
            position = newPosition;
            positions.set(newPosition);
        }
        return this;
    }

    @Override
    public long size() throws IOException {
        ChannelChecks.ensureOpen(this);
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        ChannelChecks.ensureOpen(this);
        ChannelChecks.ensureWritable(options.write());
        synchronized (positionLock) {
            volume.truncate(path, file, size);
            if (position > size) {
                position = size;
                positions.truncated(size);
            }
        }
        return this;
    }

    /** The device's cache flush, which also settles this thread's short writes, and a journal entry. */
    @Override
    public void force(boolean metaData) throws IOException {
        ChannelChecks.ensureOpen(this);
        volume.fsync(path, file, caller, metaData, wbCursor);
    }

    @Override
    public long transferTo(long pos, long count, WritableByteChannel target) throws IOException {
        Objects.requireNonNull(target);
        if (pos < 0 || count < 0) {
            throw new IllegalArgumentException();
        }
        ChannelChecks.ensureOpen(this);
        if (!target.isOpen()) {
            throw new ClosedChannelException();
        }
        ChannelChecks.ensureReadable(options.read());
        long size = file.size();
        if (pos > size) {
            return 0;
        }
        long end = pos + Math.min(count, size - pos);
        ByteBuffer bounce = bounce();
        long done = 0;
        while (pos + done < end) {
            bounce.clear().limit((int) Math.min(bounce.capacity(), end - pos - done));
            int n = data.read(file, bounce, pos + done, mode, caller);
            if (n <= 0) {
                break;
            }
            bounce.flip();
            int written = target.write(bounce);
            done += written;
            if (written < n) {
                break;
            }
        }
        return done;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long pos, long count) throws IOException {
        Objects.requireNonNull(src);
        if (pos < 0 || count < 0) {
            throw new IllegalArgumentException();
        }
        ChannelChecks.ensureOpen(this);
        if (!src.isOpen()) {
            throw new ClosedChannelException();
        }
        ChannelChecks.ensureWritable(options.write());
        if (pos > file.size()) {
            return 0;
        }
        ByteBuffer bounce = bounce();
        long done = 0;
        while (done < count) {
            bounce.clear().limit((int) Math.min(bounce.capacity(), count - done));
            int got = src.read(bounce);
            if (got <= 0) {
                break;
            }
            bounce.flip();
            while (bounce.hasRemaining()) {
                int n = data.write(file, bounce, pos + done, mode, caller);
                done += n;
                if (n == 0) {
                    return done;
                }
                // Each write of the copy syncs itself, as the write(2) loop on an O_SYNC/O_DSYNC target does.
                syncIfAsked(n);
            }
        }
        return done;
    }

    private ByteBuffer bounce() {
        if (mode == IoMode.DIRECT) {
            int bs = volume.device().logicalBlockSize();
            return ByteBuffer.allocateDirect(COPY_CHUNK + bs).alignedSlice(bs);
        }
        return ByteBuffer.allocate(COPY_CHUNK);
    }

    /** Refused, as the raw device's channel refuses it: stores through a mapping could not be verified. */
    @Override
    public MappedByteBuffer map(MapMode mapMode, long pos, long size) {
        throw new UnsupportedOperationException(SimulatedFileSystemProvider.noMap(volume.device().describe()));
    }

    @Override
    public FileLock lock(long pos, long size, boolean shared) throws IOException {
        return tryLock(pos, size, shared);
    }

    @Override
    public FileLock tryLock(long pos, long size, boolean shared) throws IOException {
        ChannelChecks.ensureOpen(this);
        ChannelChecks.ensureLockable(shared, options.read(), options.write());
        return file.locks().lock(this, pos, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.locks().releaseAll(this);
        volume.closed(file, this, caller);
    }

    static ByteBuffer[] subArray(ByteBuffer[] bufs, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bufs.length);
        ByteBuffer[] sub = offset == 0 && length == bufs.length ? bufs : Arrays.copyOfRange(bufs, offset, offset + length);
        for (ByteBuffer b : sub) {
            Objects.requireNonNull(b);
        }
        return sub;
    }

    @Override
    public String toString() {
        return caller.name();
    }
}
