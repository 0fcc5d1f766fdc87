package com.example.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * An append-only record log with asynchronous writes. The bug (as in RATIS-2114): one buffer is
 * reused for the next record while the previous write may still be in flight.
 */
public final class RecordLog {

    public static final int RECORD = 4096;

    private final AsynchronousFileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(RECORD);
    private final List<Future<Integer>> pending = new ArrayList<>();
    private long position;

    public RecordLog(AsynchronousFileChannel channel) {
        this.channel = channel;
    }

    public void append(byte value) {
        for (int i = 0; i < RECORD; i++) {
            buffer.put(i, value);
        }
        // A fresh view per write, but over the same memory: the next append overwrites what may not be written yet.
        pending.add(channel.write(buffer.duplicate().clear(), position));
        position += RECORD;
    }

    public void sync() throws IOException, InterruptedException, ExecutionException {
        for (Future<Integer> f : pending) {
            if (f.get() != RECORD) {
                throw new IOException("short write");
            }
        }
        pending.clear();
        channel.force(false);
    }
}
