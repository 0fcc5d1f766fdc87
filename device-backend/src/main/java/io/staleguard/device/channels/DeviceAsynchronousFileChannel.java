package io.staleguard.device.channels;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.internal.VerifyingBlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;

/**
 * An {@link AsynchronousFileChannel} over a {@link BlockDevice}: reads and writes are the device's
 * asynchronous calls, with this channel as their {@link IoCaller}. Completion handlers run on
 * the device's worker threads. The buffer belongs to the device until the operation completes;
 * changing a write's buffer earlier is exactly what the device's guard tags catch.
 */
final class DeviceAsynchronousFileChannel extends AsynchronousFileChannel {

    private final BlockDevice device;
    private final ChannelOptions options;
    private final IoCaller caller;
    private final IoMode mode;
    private volatile boolean open = true;

    DeviceAsynchronousFileChannel(BlockDevice device, ChannelOptions options, IoCaller caller) {
        this.device = device;
        this.options = options;
        this.caller = caller;
        this.mode = options.mode();
    }

    IoCaller caller() {
        return caller;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return device.capacity();
    }

    /** As for {@link DeviceFileChannel#truncate}: no-op at or above the capacity, IOException below. */
    @Override
    public AsynchronousFileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("Negative size: " + size);
        }
        ensureOpen();
        if (!options.write()) {
            throw new NonWritableChannelException();
        }
        if (size < device.capacity()) {
            throw new IOException("Cannot truncate a block device to " + size + " bytes: its size is fixed at "
                    + device.capacity() + " bytes (" + device.describe() + ")");
        }
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        if (device instanceof VerifyingBlockDevice v) {
            v.force(caller);
        } else {
            device.flush();
        }
    }

    @Override
    public <A> void lock(long position, long size, boolean shared, A attachment,
                         CompletionHandler<FileLock, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        FileLock l;
        try {
            l = tryLock(position, size, shared);
        } catch (Throwable e) {
            handler.failed(e, attachment);
            return;
        }
        handler.completed(l, attachment);
    }

    @Override
    public Future<FileLock> lock(long position, long size, boolean shared) {
        try {
            return CompletableFuture.completedFuture(tryLock(position, size, shared));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** In-process range locks, shared with the device's other channels (see {@link DeviceFileChannel#tryLock}). */
    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        ensureOpen();
        if (shared && !options.read()) {
            throw new NonReadableChannelException();
        }
        if (!shared && !options.write()) {
            throw new NonWritableChannelException();
        }
        return DeviceLocks.acquire(device, this, position, size, shared,
                (ch, p, s, sh) -> new DeviceLocks.RangeLock(this, device, p, s, sh));
    }

    @Override
    public <A> void read(ByteBuffer dst, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        deliver(read(dst, position), attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst, long position) {
        Objects.requireNonNull(dst, "dst");
        if (position < 0) {
            throw new IllegalArgumentException("Negative position: " + position);
        }
        if (!options.read()) {
            throw new NonReadableChannelException();
        }
        if (!open) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        return device.readAsync(dst, position, mode, caller);
    }

    @Override
    public <A> void write(ByteBuffer src, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        deliver(write(src, position), attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src, long position) {
        Objects.requireNonNull(src, "src");
        if (position < 0) {
            throw new IllegalArgumentException("Negative position: " + position);
        }
        if (!options.write()) {
            throw new NonWritableChannelException();
        }
        if (!open) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        return device.writeAsync(src, position, mode, caller);
    }

    private static <A> void deliver(Future<Integer> f, A attachment, CompletionHandler<Integer, ? super A> handler) {
        ((CompletableFuture<Integer>) f).whenComplete((n, e) -> {
            if (e == null) {
                handler.completed(n, attachment);
            } else {
                handler.failed(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e, attachment);
            }
        });
    }

    private void ensureOpen() throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        DeviceLocks.releaseAll(device, this);
        if (device instanceof VerifyingBlockDevice v && !v.isClosed()) {
            v.callerClosed(caller);
        }
    }

    @Override
    public String toString() {
        return caller.name();
    }
}
