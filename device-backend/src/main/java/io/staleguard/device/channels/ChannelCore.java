package io.staleguard.device.channels;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.channels.internal.ChannelChecks;
import io.staleguard.device.core.VerifyingDevice;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.FileLock;

/**
 * What the {@code FileChannel} and {@code AsynchronousFileChannel} views of a device share: the device, the open
 * options, the caller, and the calls whose rules do not depend on being synchronous (size, truncate, force, locks,
 * close), so both views answer them alike.
 */
final class ChannelCore {

    private final BlockDevice device;
    private final ChannelOptions options;
    private final IoCaller caller;

    ChannelCore(BlockDevice device, ChannelOptions options, IoCaller caller) {
        this.device = device;
        this.options = options;
        this.caller = caller;
    }

    void ensureReadable() {
        ChannelChecks.ensureReadable(options.read());
    }

    void ensureWritable() {
        ChannelChecks.ensureWritable(options.write());
    }

    /** The device's capacity: a block device's size is fixed. */
    long size(Channel channel) throws IOException {
        ChannelChecks.ensureOpen(channel);
        return device.capacity();
    }

    /**
     * A block device cannot shrink: truncating to its capacity or more changes nothing (as for a file); truncating
     * below it is an {@link IOException} saying so.
     */
    void truncate(Channel channel, long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("Negative size: " + size);
        }
        ChannelChecks.ensureOpen(channel);
        ensureWritable();
        if (size < device.capacity()) {
            throw new IOException("Cannot truncate a block device to " + size + " bytes: its size is fixed at "
                    + device.capacity() + " bytes (" + device.describe() + ")");
        }
    }

    /** Flushes the device and resolves (or flags) the caller's short writes. */
    void force(Channel channel) throws IOException {
        ChannelChecks.ensureOpen(channel);
        if (device instanceof VerifyingDevice v) {
            v.force(caller);
        } else {
            device.flush();
        }
    }

    /** In-process range locks: an overlapping lock held through any channel of the device throws. */
    FileLock tryLock(Channel channel, long position, long size, boolean shared, DeviceLocks.LockOwner owner)
            throws IOException {
        ChannelChecks.ensureOpen(channel);
        ChannelChecks.ensureLockable(shared, options.read(), options.write());
        return DeviceLocks.acquire(device, channel, position, size, shared, owner);
    }

    /** Releases the channel's locks and tells the device its caller is gone. */
    void closed(Channel channel) {
        DeviceLocks.releaseAll(device, channel);
        if (device instanceof VerifyingDevice v && !v.isClosed()) {
            v.callerClosed(caller);
        }
    }
}
