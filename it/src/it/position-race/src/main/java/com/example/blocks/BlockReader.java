package com.example.blocks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads fixed-size blocks of one file for many threads through one shared channel, emulating a positional read as
 * {@code position(x); read(dst)} (H2's {@code FileBase} did, and jhdf). The buggy variant does the pair without a
 * lock, so another thread can move the position between them; the twin holds one lock over the pair.
 */
public final class BlockReader {

    /** Called between {@code position} and {@code read}; lets a test force the interleaving. */
    public interface Pause {
        void between();
    }

    private final FileChannel channel;
    private final int blockSize;
    private final boolean locked;
    private final Object lock = new Object();

    public BlockReader(FileChannel channel, int blockSize, boolean locked) {
        this.channel = channel;
        this.blockSize = blockSize;
        this.locked = locked;
    }

    /** Block {@code n}. */
    public ByteBuffer read(long n, Pause pause) throws IOException {
        if (locked) {
            synchronized (lock) {
                return readAt(n * blockSize, pause);
            }
        }
        return readAt(n * blockSize, pause);
    }

    private ByteBuffer readAt(long at, Pause pause) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(blockSize);
        channel.position(at);
        pause.between();
        while (dst.hasRemaining() && channel.read(dst) > 0) {
            // a short read continues at the channel's position
        }
        return dst.flip();
    }
}
