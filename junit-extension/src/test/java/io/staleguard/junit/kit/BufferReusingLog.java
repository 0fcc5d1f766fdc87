package io.staleguard.junit.kit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A record log over an {@link AsynchronousFileChannel}, in two versions. The buggy one reuses its single
 * buffer for the next record before the previous write completed (the RATIS-2114 pattern); the correct one
 * gives every pending write its own buffer.
 */
public final class BufferReusingLog {

    private final AsynchronousFileChannel channel;
    private final boolean reuseBuffer;
    private final ByteBuffer shared = ByteBuffer.allocateDirect(4096);
    private final List<Future<Integer>> pending = new ArrayList<>();
    private long position;

    /** A log appending at offset 0; {@code reuseBuffer} selects the buggy version. */
    public BufferReusingLog(AsynchronousFileChannel channel, boolean reuseBuffer) {
        this.channel = channel;
        this.reuseBuffer = reuseBuffer;
    }

    /** Appends one 4 KiB record filled with {@code value}. */
    public void append(byte value) {
        ByteBuffer buf = reuseBuffer ? shared : ByteBuffer.allocateDirect(4096);
        buf.clear();
        while (buf.hasRemaining()) {
            buf.put(value);
        }
        buf.flip();
        // Each write gets a view with its own position; the buggy log still shares the memory behind it.
        pending.add(channel.write(buf.duplicate(), position));
        position += 4096;
    }

    /** Waits for every pending write; each must have written its whole record. */
    public void sync() throws IOException, InterruptedException, ExecutionException {
        for (Future<Integer> f : pending) {
            if (f.get() != 4096) {
                throw new IOException("short asynchronous write");
            }
        }
        pending.clear();
        channel.force(false);
    }
}
