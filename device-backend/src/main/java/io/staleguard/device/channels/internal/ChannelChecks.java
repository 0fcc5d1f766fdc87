package io.staleguard.device.channels.internal;

import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;

/**
 * The open-state and access-mode checks of the JDK's file channels, so a device channel and a file channel of the
 * simulated filesystem refuse a call with the same exception.
 */
public final class ChannelChecks {

    private ChannelChecks() {
    }

    /** A closed channel refuses every call but {@code close} and {@code isOpen}. */
    public static void ensureOpen(Channel channel) throws ClosedChannelException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /** A channel not opened for READ refuses reads. */
    public static void ensureReadable(boolean readable) {
        if (!readable) {
            throw new NonReadableChannelException();
        }
    }

    /** A channel not opened for WRITE refuses writes. */
    public static void ensureWritable(boolean writable) {
        if (!writable) {
            throw new NonWritableChannelException();
        }
    }

    /** The JDK's rule for locks: a shared lock needs READ, an exclusive one WRITE. */
    public static void ensureLockable(boolean shared, boolean readable, boolean writable) {
        if (shared) {
            ensureReadable(readable);
        } else {
            ensureWritable(writable);
        }
    }
}
