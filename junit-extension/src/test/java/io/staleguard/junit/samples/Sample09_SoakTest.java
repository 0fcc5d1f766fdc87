package io.staleguard.junit.samples;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.junit.Device;
import io.staleguard.junit.Soak;
import io.staleguard.junit.StaleguardTest;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sample 09: {@code @Soak} tags a test {@code staleguard-soak}. An ordinary run runs it once; the Maven plugin's
 * {@code soak} goal repeats tagged tests with fresh master seeds. Draw randomness from a seed you derive from the
 * device's, so a failing seed replays.
 */
@StaleguardTest
class Sample09_SoakTest {

    @Soak
    @Test
    void randomWritesReadBack(@Device(size = "4MiB") BlockDevice device) throws Exception {
        SplittableRandom rnd = new SplittableRandom(device.describe().hashCode());
        ByteBuffer b = ByteBuffer.allocate(4096);
        for (int i = 0; i < 200; i++) {
            long pos = rnd.nextInt(1024) * 4096L;
            b.clear();
            long at = pos;
            if (rnd.nextBoolean()) {
                while (b.hasRemaining()) {
                    at += device.write(b, at, IoMode.BUFFERED);
                }
            } else {
                while (b.hasRemaining()) {
                    at += device.read(b, at, IoMode.BUFFERED);
                }
            }
        }
    }
}
