package com.example.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** An append-only record log with asynchronous writes; every pending write owns its buffer. */
public final class RecordLog {

    public static final int RECORD = 4096;

    private final AsynchronousFileChannel channel;
    private final List<Future<Integer>> pending = new ArrayList<>();
    private long position;

    public RecordLog(AsynchronousFileChannel channel) {
        this.channel = channel;
    }

    public void append(byte value) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(RECORD);
        while (buffer.hasRemaining()) {
            buffer.put(value);
        }
        buffer.flip();
        pending.add(channel.write(buffer, position));
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
