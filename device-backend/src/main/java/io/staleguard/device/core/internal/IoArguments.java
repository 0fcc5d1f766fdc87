package io.staleguard.device.core.internal;

import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Argument checks shared by every backend. Messages name the bad value; direct-I/O alignment
 * errors are {@link IOException}s worded like the JDK's own checks for
 * {@code ExtendedOpenOption.DIRECT} ({@code sun.nio.ch.Util}).
 */
public final class IoArguments {

    private IoArguments() {
    }

    /** Rejects a negative offset. */
    public static void checkOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Negative position: offset " + offset + " is negative");
        }
    }

    /** Rejects null buffers (naming which) and, for reads, read-only buffers; returns the total remaining bytes. */
    public static long checkBuffers(ByteBuffer[] bufs, boolean forRead) {
        if (bufs == null) {
            throw new NullPointerException(forRead ? "dsts (buffer array) is null" : "srcs (buffer array) is null");
        }
        long total = 0;
        for (int i = 0; i < bufs.length; i++) {
            ByteBuffer b = bufs[i];
            String name = (forRead ? "dsts[" : "srcs[") + i + "]";
            if (b == null) {
                throw new NullPointerException(name + " (buffer) is null");
            }
            if (forRead && b.isReadOnly()) {
                throw new IllegalArgumentException("Read-only buffer: cannot read into " + name + " " + b);
            }
            total += b.remaining();
        }
        return total;
    }

    /** Rejects a null single buffer (naming it) and, for reads, a read-only one. */
    public static void checkBuffer(ByteBuffer b, boolean forRead) {
        if (b == null) {
            throw new NullPointerException(forRead ? "dst (buffer) is null" : "src (buffer) is null");
        }
        if (forRead && b.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer: cannot read into dst " + b);
        }
    }

    /** Rejects null mode or caller. */
    public static void checkModeAndCaller(IoMode mode, Object caller) {
        if (mode == null) {
            throw new NullPointerException("mode (IoMode) is null");
        }
        if (caller == null) {
            throw new NullPointerException("caller (IoCaller) is null");
        }
    }

    /**
     * The O_DIRECT rules: offset, every buffer's address (at its position) and every buffer's
     * remaining byte count must be multiples of {@code blockSize}. As in the JDK, a heap buffer has
     * no address to check: only its remaining byte count must be aligned.
     */
    public static void checkDirect(ByteBuffer[] bufs, long offset, int blockSize) throws IOException {
        if (offset % blockSize != 0) {
            throw new IOException("Channel position (" + offset + ") is not a multiple of the block size ("
                    + blockSize + ")");
        }
        for (ByteBuffer b : bufs) {
            checkDirectBuffer(b, blockSize);
        }
    }

    /** {@link #checkDirect(ByteBuffer[], long, int)} for one buffer. */
    public static void checkDirect(ByteBuffer b, long offset, int blockSize) throws IOException {
        if (offset % blockSize != 0) {
            throw new IOException("Channel position (" + offset + ") is not a multiple of the block size ("
                    + blockSize + ")");
        }
        checkDirectBuffer(b, blockSize);
    }

    private static void checkDirectBuffer(ByteBuffer b, int blockSize) throws IOException {
        int pos = b.position();
        int rem = b.remaining();
        if (rem % blockSize != 0) {
            throw new IOException("Number of remaining bytes (" + rem + ") is not a multiple of the block size ("
                    + blockSize + ")");
        }
        // The JDK accepts heap buffers for ExtendedOpenOption.DIRECT and copies them through an aligned
        // temporary buffer when the I/O runs, so only direct buffers have an address to check. The device
        // takes a heap buffer's data at its DMA moment too, which keeps the buffer-reuse window of the JDK.
        if (!b.isDirect()) {
            return;
        }
        int alignmentOffset = b.alignmentOffset(pos, blockSize);
        if (alignmentOffset != 0) {
            throw new IOException("Current position of the bytebuffer (" + pos + ") is not a multiple of the block size ("
                    + blockSize + "): alignment offset = " + alignmentOffset);
        }
    }
}
