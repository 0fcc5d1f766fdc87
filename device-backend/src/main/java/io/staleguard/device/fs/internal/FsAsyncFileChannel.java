package io.staleguard.device.fs.internal;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.channels.internal.AsyncCompletion;
import io.staleguard.device.channels.internal.ChannelChecks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * An {@link AsynchronousFileChannel} on a regular file: reads and writes are the device's asynchronous calls, one
 * per extent, with this channel as their {@link IoCaller}. The buffer is the device's until the future completes;
 * completion handlers run on the DMA worker threads. A DIRECT read is the kernel's NOWAIT read: under a kernel
 * that cuts those ({@link NowaitFileReads}) it may complete short at an extent of the file.
 */
final class FsAsyncFileChannel extends AsynchronousFileChannel {

    private final Volume volume;
    private final FsPath path;
    private final Inode file;
    private final FileData data;
    private final FsOpenOptions options;
    private final IoMode mode;
    private final IoCaller caller;
    /** The file's writeback error as this channel last reported it, sampled at open. */
    private final int[] wbCursor;
    /** H5: the NOWAIT reads of a DIRECT channel under a kernel that cuts them; null when it returns them whole. */
    private final NowaitFileReads nowait;
    private volatile boolean open = true;

    FsAsyncFileChannel(Volume volume, FsPath path, Inode file, FsOpenOptions options, IoCaller caller) {
        this.volume = volume;
        this.path = path;
        this.file = file;
        this.data = volume.data();
        this.options = options;
        this.mode = options.mode();
        this.caller = caller;
        this.wbCursor = volume.writebackCursor(file);
        this.nowait = mode == IoMode.DIRECT ? NowaitFileReads.on(volume.device(), data) : null;
    }

    IoCaller caller() {
        return caller;
    }

    @Override
    public long size() throws IOException {
        ChannelChecks.ensureOpen(this);
        return file.size();
    }

    @Override
    public AsynchronousFileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        ChannelChecks.ensureOpen(this);
        ChannelChecks.ensureWritable(options.write());
        volume.truncate(path, file, size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ChannelChecks.ensureOpen(this);
        volume.fsync(path, file, caller, metaData, wbCursor);
    }

    @Override
    public <A> void lock(long position, long size, boolean shared, A attachment,
                         CompletionHandler<FileLock, ? super A> handler) {
        AsyncCompletion.lock(this::tryLock, position, size, shared, attachment, handler);
    }

    @Override
    public Future<FileLock> lock(long position, long size, boolean shared) {
        return AsyncCompletion.lock(this::tryLock, position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        ChannelChecks.ensureOpen(this);
        ChannelChecks.ensureLockable(shared, options.read(), options.write());
        return file.locks().lock(this, position, size, shared);
    }

    @Override
    public <A> void read(ByteBuffer dst, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        AsyncCompletion.deliver(read(dst, position), attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst, long position) {
        Objects.requireNonNull(dst, "dst");
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        ChannelChecks.ensureReadable(options.read());
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        if (!open) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        return nowait != null ? nowait.read(file, dst, position, caller)
                : data.readAsync(file, dst, position, mode, caller);
    }

    @Override
    public <A> void write(ByteBuffer src, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        AsyncCompletion.deliver(write(src, position), attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src, long position) {
        Objects.requireNonNull(src, "src");
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        ChannelChecks.ensureWritable(options.write());
        if (!open) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        return data.writeAsync(file, src, position, mode, caller);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        file.locks().releaseAll(this);
        volume.closed(file, this, caller);
    }

    @Override
    public String toString() {
        return caller.name();
    }
}
