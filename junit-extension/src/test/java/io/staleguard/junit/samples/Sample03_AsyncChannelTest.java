package io.staleguard.junit.samples;

import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Sample 03: asynchronous writes. Protection information is computed when a write is submitted; the device
 * takes the data after a seeded delay. A buffer changed before its write completed would land data that does not
 * match its guard: a GUARD_TAG violation. This test gives every pending write its own buffer, so it passes.
 */
@StaleguardTest
class Sample03_AsyncChannelTest {

    @Test
    void everyPendingWriteOwnsItsBuffer(@Device(size = "8MiB") AsynchronousFileChannel ch) throws Exception {
        List<Future<Integer>> pending = new ArrayList<>();
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ByteBuffer b = ByteBuffer.allocate(4096);
            b.put(0, (byte) i);
            buffers.add(b);
            pending.add(ch.write(b, i * 4096L));
        }
        for (int i = 0; i < 16; i++) {
            int n = pending.get(i).get();
            ByteBuffer b = buffers.get(i);
            // A short asynchronous write is legal: write the rest.
            while (b.hasRemaining()) {
                n += ch.write(b, i * 4096L + n).get();
            }
        }
    }
}
