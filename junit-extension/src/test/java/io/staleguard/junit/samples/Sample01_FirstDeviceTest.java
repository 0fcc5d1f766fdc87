package io.staleguard.junit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Sample 01: the smallest Staleguard test. {@code @StaleguardTest} on the class, {@code @Device} on a parameter:
 * the test gets a 64 MiB simulated device with T10 DIF protection and the history oracle, and fails if anything
 * it reads is stale, torn or corrupt, or if a short transfer is left unfinished.
 *
 * <p>Block devices, like {@code FileChannel}, may transfer fewer bytes than asked (the simulated device does so
 * now and then on purpose): loop until everything is transferred.
 */
@StaleguardTest
class Sample01_FirstDeviceTest {

    @Test
    void writesAreReadBack(@Device BlockDevice device) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(4096);
        while (out.hasRemaining()) {
            out.put((byte) 42);
        }
        out.flip();
        long pos = 0;
        while (out.hasRemaining()) {
            pos += device.write(out, pos, IoMode.BUFFERED);
        }

        ByteBuffer in = ByteBuffer.allocate(4096);
        pos = 0;
        while (in.hasRemaining()) {
            pos += device.read(in, pos, IoMode.BUFFERED);
        }
        assertEquals(42, in.get(4095));
    }
}
