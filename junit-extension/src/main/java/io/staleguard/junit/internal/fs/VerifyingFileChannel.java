package io.staleguard.junit.internal.fs;

import io.staleguard.device.oracle.PositionTracker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileChannel} on a real file whose every read and write goes through the file's {@link FileState}:
 * protection computed when a write is called and verified by read-back, and every read checked by the history
 * oracle, and every relative call checked for a position another thread moved ({@link PositionTracker}). {@link #map}
 * is passed through unverified (memory-mapped access escapes the checks).
 */
final class VerifyingFileChannel extends FileChannel {

    private final FileChannel real;
    private final FileState state;
    private final boolean append;
    private final boolean readable;
    private final boolean writable;
    private final Object positionLock = new Object();
    /** Every call is made with {@link #positionLock} held. */
    private final PositionTracker positions;
    private long position;

    VerifyingFileChannel(FileChannel real, FileState state, boolean readable, boolean writable, boolean append)
            throws IOException {
        this.real = real;
        this.state = state;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
        this.position = append ? real.size() : 0;
        this.positions = state.positionTracker("FileChannel on " + state.real());
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        checkReadable();
        synchronized (positionLock) {
            return transferAtPosition(dst, false);
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        ensureOpen();
        checkReadable();
        synchronized (positionLock) {
            return transferAtPosition(dsts, offset, length, false);
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        checkWritable();
        synchronized (positionLock) {
            lockForAppend();
            try {
                return transferAtPosition(src, true);
            } finally {
                unlockForAppend();
            }
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        ensureOpen();
        checkWritable();
        synchronized (positionLock) {
            lockForAppend();
            try {
                return transferAtPosition(srcs, offset, length, true);
            } finally {
                unlockForAppend();
            }
        }
    }

    /**
     * An appending channel holds the file's write lock from picking its offset (the end of the file) until its
     * write is known to the oracle, so two appenders cannot pick the same end.
     */
    private void lockForAppend() throws IOException {
        if (append) {
            state.writeLock().lock();
            try {
                position = real.size();
            } catch (IOException | RuntimeException e) {
                state.writeLock().unlock();
                throw e;
            }
        }
    }

    private void unlockForAppend() {
        if (append) {
            state.writeLock().unlock();
        }
    }

    /** One buffer at the channel's position, which moves past what was transferred; the caller holds the lock. */
    private int transferAtPosition(ByteBuffer b, boolean write) throws IOException {
        if (!(write && append)) {
            positions.beforeRelative(write, position, b.remaining());
        }
        int n = write ? writeAt(b, position) : state.read(real, b, position, thread());
        if (n > 0) {
            position += n;
        }
        if (write && append) {
            positions.appended(position, n);
        } else {
            positions.advanced(write, position, n);
        }
        return n;
    }

    /**
     * Scattering reads and gathering writes: buffer after buffer until one is served short. A read skips empty
     * buffers; a write submits each, as a positional write of nothing does.
     */
    private long transferAtPosition(ByteBuffer[] bs, int offset, int length, boolean write) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (!write && !bs[i].hasRemaining()) {
                continue;
            }
            int asked = bs[i].remaining();
            int n = transferAtPosition(bs[i], write);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (n < asked) {
                break;
            }
        }
        return total;
    }

    @Override
    public int read(ByteBuffer dst, long pos) throws IOException {
        if (pos < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        ensureOpen();
        checkReadable();
        return state.read(real, dst, pos, thread());
    }

    @Override
    public int write(ByteBuffer src, long pos) throws IOException {
        if (pos < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        ensureOpen();
        checkWritable();
        return writeAt(src, pos);
    }

    private int writeAt(ByteBuffer src, long pos) throws IOException {
        int from = src.position();
        int to = src.limit();
        FileState.Submission s = state.submit(src, from, to, pos, thread());
        int n = state.perform(s, real, src, from, to);
        src.position(from + n);
        return n;
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        synchronized (positionLock) {
            positions.observed(position);
            return position;
        }
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        ensureOpen();
        synchronized (positionLock) {
            position = newPosition;
            positions.set(newPosition);
        }
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        ensureOpen();
        checkWritable();
        synchronized (positionLock) {
            if (size < real.size()) {
                real.truncate(size);
                state.reset(size == 0);
            }
            if (position > size) {
                position = size;
                positions.truncated(size);
            }
        }
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        real.force(metaData);
    }

    @Override
    public long transferTo(long pos, long count, WritableByteChannel target) throws IOException {
        ensureOpen();
        checkReadable();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
        long done = 0;
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = read(buf, pos + done);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                if (target.write(buf) <= 0) {
                    return done + n - buf.remaining();
                }
            }
            done += n;
        }
        return done;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long pos, long count) throws IOException {
        ensureOpen();
        checkWritable();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
        long done = 0;
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = src.read(buf);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                write(buf, pos + done + (n - buf.remaining()));
            }
            done += n;
        }
        return done;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long pos, long size) throws IOException {
        ensureOpen();
        return real.map(mode, pos, size);
    }

    @Override
    public FileLock lock(long pos, long size, boolean shared) throws IOException {
        ensureOpen();
        checkLockMode(shared);
        return new RealLock(this, real.lock(pos, size, shared));
    }

    @Override
    public FileLock tryLock(long pos, long size, boolean shared) throws IOException {
        ensureOpen();
        checkLockMode(shared);
        FileLock l = real.tryLock(pos, size, shared);
        return l == null ? null : new RealLock(this, l);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }

    private void ensureOpen() throws IOException {
        if (!isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    /** The host channel is opened for reading too (to read back writes), so the mode is checked here. */
    private void checkLockMode(boolean shared) {
        if (shared) {
            checkReadable();
        } else {
            checkWritable();
        }
    }

    private void checkReadable() {
        if (!readable) {
            throw new java.nio.channels.NonReadableChannelException();
        }
    }

    private void checkWritable() {
        if (!writable) {
            throw new NonWritableChannelException();
        }
    }

    private static String thread() {
        return Thread.currentThread().getName();
    }
}
