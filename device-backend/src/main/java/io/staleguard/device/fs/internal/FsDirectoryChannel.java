package io.staleguard.device.fs.internal;

import io.staleguard.device.channels.internal.ChannelChecks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A directory opened for reading, as Linux allows: reads fail with "Is a directory", and {@link #force} is the
 * fsync of a directory that makes its entries durable, recorded in the journal.
 */
final class FsDirectoryChannel extends FileChannel {

    private final Volume volume;
    private final FsPath path;
    private final Inode dir;
    private long position;

    FsDirectoryChannel(Volume volume, FsPath path, Inode dir) {
        this.volume = volume;
        this.path = path;
        this.dir = dir;
    }

    private IOException isADirectory() throws ClosedChannelException {
        ChannelChecks.ensureOpen(this);
        return new IOException("Is a directory");
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        throw isADirectory();
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        throw isADirectory();
    }

    @Override
    public int read(ByteBuffer dst, long pos) throws IOException {
        throw isADirectory();
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new NonWritableChannelException();
    }

    @Override
    public int write(ByteBuffer src, long pos) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ChannelChecks.ensureOpen(this);
        return position;
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException();
        }
        ChannelChecks.ensureOpen(this);
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ChannelChecks.ensureOpen(this);
        return volume.directorySize();
    }

    @Override
    public FileChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    /** The fsync of a directory: a {@code FSYNC_DIRECTORY} journal entry (see {@link Volume#fsync}). */
    @Override
    public void force(boolean metaData) throws IOException {
        ChannelChecks.ensureOpen(this);
        volume.fsync(path, dir, null, metaData, null);
    }

    @Override
    public long transferTo(long pos, long count, WritableByteChannel target) throws IOException {
        throw isADirectory();
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long pos, long count) {
        throw new NonWritableChannelException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long pos, long size) throws IOException {
        throw isADirectory();
    }

    @Override
    public FileLock lock(long pos, long size, boolean shared) throws IOException {
        return tryLock(pos, size, shared);
    }

    @Override
    public FileLock tryLock(long pos, long size, boolean shared) throws IOException {
        ChannelChecks.ensureOpen(this);
        if (!shared) {
            throw new NonWritableChannelException();
        }
        return dir.locks().lock(this, pos, size, true);
    }

    @Override
    protected void implCloseChannel() {
        dir.locks().releaseAll(this);
        volume.closed(dir, this, null);
    }

    @Override
    public String toString() {
        return "directory channel on " + path;
    }
}
