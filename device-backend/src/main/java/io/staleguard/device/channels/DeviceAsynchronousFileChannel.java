package io.staleguard.device.channels;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.channels.internal.AsyncCompletion;
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
 * An {@link AsynchronousFileChannel} over a {@link BlockDevice}: reads and writes are the device's
 * asynchronous calls, with this channel as their {@link IoCaller}. Completion handlers run on
 * the DMA worker threads. The buffer belongs to the device until the operation completes;
 * changing a write's buffer earlier is exactly what the device's guard tags catch.
 */
final class DeviceAsynchronousFileChannel extends AsynchronousFileChannel {

    private final BlockDevice device;
    private final IoCaller caller;
    private final IoMode mode;
    private final ChannelCore core;
    private volatile boolean open = true;

    DeviceAsynchronousFileChannel(BlockDevice device, ChannelOptions options, IoCaller caller) {
        this.device = device;
        this.caller = caller;
        this.mode = options.mode();
        this.core = new ChannelCore(device, options, caller);
    }

    IoCaller caller() {
        return caller;
    }

    @Override
    public long size() throws IOException {
        return core.size(this);
    }

    /** See {@link ChannelCore#truncate}: no-op at or above the capacity, IOException below. */
    @Override
    public AsynchronousFileChannel truncate(long size) throws IOException {
        core.truncate(this, size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        core.force(this);
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

    /** In-process range locks, shared with the device's other channels (see {@link DeviceFileChannel#tryLock}). */
    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return core.tryLock(this, position, size, shared,
                (ch, p, s, sh) -> new DeviceLocks.RangeLock(this, device, p, s, sh));
    }

    @Override
    public <A> void read(ByteBuffer dst, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        AsyncCompletion.deliver(read(dst, position), attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst, long position) {
        Future<Integer> refused = refuse(dst, "dst", position, false);
        return refused != null ? refused : device.readAsync(dst, position, mode, caller);
    }

    @Override
    public <A> void write(ByteBuffer src, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        AsyncCompletion.deliver(write(src, position), attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src, long position) {
        Future<Integer> refused = refuse(src, "src", position, true);
        return refused != null ? refused : device.writeAsync(src, position, mode, caller);
    }

    /**
     * The checks of a read or write, in the JDK's order: null buffer, negative position, wrong open
     * mode (thrown), then a closed channel (a failed future, as the JDK reports it); null if the call may go on.
     */
    private Future<Integer> refuse(ByteBuffer buffer, String name, long position, boolean write) {
        Objects.requireNonNull(buffer, name);
        if (position < 0) {
            throw new IllegalArgumentException("Negative position: " + position);
        }
        if (write) {
            core.ensureWritable();
        } else {
            core.ensureReadable();
        }
        return open ? null : CompletableFuture.failedFuture(new ClosedChannelException());
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
        core.closed(this);
    }

    @Override
    public String toString() {
        return caller.name();
    }
}
