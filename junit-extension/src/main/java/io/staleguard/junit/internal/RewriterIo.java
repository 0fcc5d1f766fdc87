package io.staleguard.junit.internal;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/** Shared I/O helpers of the built-in rewriters: full transfers that continue after short ones. */
final class RewriterIo {

    private RewriterIo() {
    }

    /** A block-aligned direct buffer of {@code length} bytes. */
    static ByteBuffer aligned(int length, int blockSize) {
        return ByteBuffer.allocateDirect(length + blockSize).alignedSlice(blockSize).limit(length).slice();
    }

    /** Writes all of {@code buf}'s remaining bytes at {@code offset}, continuing after short writes. */
    static void writeFully(BlockDevice d, ByteBuffer buf, long offset, IoMode mode, boolean async, IoCaller caller)
            throws IOException {
        long at = offset;
        while (buf.hasRemaining()) {
            int n = async ? join(d.writeAsync(buf, at, mode, caller)) : d.write(buf, at, mode, caller);
            if (n <= 0) {
                throw new IOException("write at " + at + " made no progress");
            }
            at += n;
        }
    }

    /** Reads until {@code buf} is full, continuing after short reads. */
    static void readFully(BlockDevice d, ByteBuffer buf, long offset, IoMode mode, boolean async, IoCaller caller)
            throws IOException {
        long at = offset;
        while (buf.hasRemaining()) {
            int n = async ? join(d.readAsync(buf, at, mode, caller)) : d.read(buf, at, mode, caller);
            if (n < 0) {
                throw new IOException("unexpected end of device at " + at);
            }
            if (n == 0) {
                continue;
            }
            at += n;
        }
    }

    static int join(java.util.concurrent.CompletableFuture<Integer> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for an asynchronous transfer");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /** Parks briefly so the rewriters stress the device without starving the test on a 2-core machine. */
    static void pace(BooleanSupplier stop, long nanos) {
        if (!stop.getAsBoolean()) {
            java.util.concurrent.locks.LockSupport.parkNanos(nanos);
        }
    }
}
