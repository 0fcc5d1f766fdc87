package io.staleguard.junit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.junit.jupiter.api.Test;

/**
 * Sample 02: storage code written against {@link FileChannel} runs unchanged on a device. The extension opens
 * the channel and closes it after the test. {@code direct = true} opens it with {@code ExtendedOpenOption.DIRECT}:
 * offsets, lengths and buffer addresses must then be block aligned, as with O_DIRECT.
 */
@StaleguardTest
class Sample02_FileChannelTest {

    @Test
    void bufferedChannel(@Device(size = "8MiB") FileChannel log) throws Exception {
        ByteBuffer record = ByteBuffer.wrap("hello, log".getBytes());
        while (record.hasRemaining()) {
            log.write(record);
        }
        assertEquals(10, log.position());
    }

    @Test
    void directChannel(@Device(size = "8MiB", direct = true) FileChannel log) throws Exception {
        ByteBuffer block = ByteBuffer.allocateDirect(2 * 4096).alignedSlice(4096);
        block.put(0, (byte) 7);
        long pos = 0;
        while (block.hasRemaining()) {
            pos += log.write(block, pos);
        }
        block.clear();
        pos = 0;
        while (block.hasRemaining()) {
            pos += log.read(block, pos);
        }
        assertEquals(7, block.get(0));
    }
}
