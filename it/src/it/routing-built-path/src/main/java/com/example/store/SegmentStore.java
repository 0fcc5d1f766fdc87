package com.example.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * A store configured with a directory name, as engines are: it builds its own path with Paths.get. The bug (as in
 * RATIS-2114): one buffer is refilled for the next record while the previous asynchronous write may be in flight.
 */
public final class SegmentStore implements AutoCloseable {

    public static final int RECORD = 4096;

    private final AsynchronousFileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(RECORD);
    private final List<Future<Integer>> pending = new ArrayList<>();
    private long position;

    public SegmentStore(String directory) throws IOException {
        this.channel = AsynchronousFileChannel.open(Paths.get(directory, "segment-0.wal"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
    }

    public void append(byte value) {
        for (int i = 0; i < RECORD; i++) {
            buffer.put(i, value);
        }
        pending.add(channel.write(buffer.duplicate().clear(), position));
        position += RECORD;
    }

    @Override
    public void close() throws Exception {
        for (Future<Integer> f : pending) {
            if (f.get() != RECORD) {
                throw new IOException("short write");
            }
        }
        channel.force(false);
        channel.close();
    }
}
