package io.staleguard.junit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sample 04: lifetimes and sharing. A static field lives for the class; instance fields and parameters live for
 * one test. Points with the same {@code name} share one device, also between a {@code @BeforeEach} method and
 * the test, or between a parameter and the class device of that name.
 */
@StaleguardTest
class Sample04_SharedDevicesTest {

    @Device(name = "catalog", size = "4MiB")
    static BlockDevice catalog;

    @Device(name = "data", size = "4MiB")
    BlockDevice data;

    @BeforeEach
    void format(@Device(name = "data", size = "4MiB") FileChannel dataChannel) throws Exception {
        ByteBuffer header = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
        while (header.hasRemaining()) {
            dataChannel.write(header, header.position());
        }
    }

    @Test
    void theBeforeEachChannelWroteToTheTestsDevice(@Device(name = "data", size = "4MiB") BlockDevice same)
            throws Exception {
        assertSame(data, same);
        ByteBuffer b = ByteBuffer.allocate(4);
        while (b.hasRemaining()) {
            data.read(b, b.position(), IoMode.BUFFERED);
        }
        assertEquals(4, b.get(3));
    }

    @Test
    void theClassDeviceIsSharedByName(@Device(name = "catalog", size = "4MiB") BlockDevice same) {
        assertSame(catalog, same);
    }
}
