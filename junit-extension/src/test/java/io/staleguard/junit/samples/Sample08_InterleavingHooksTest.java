package io.staleguard.junit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staleguard.device.IoMode;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Sample 08: forcing a race with the simulated device's interleaving hooks. Inject {@code SimulatedDevice} to
 * reach its hooks: pause a chosen operation at a chosen stage, act while it is held, then release it. Data your
 * code serves from its own cache can be shown to the history oracle with {@code checkServed}.
 */
@StaleguardTest
class Sample08_InterleavingHooksTest {

    @Test
    void aReadHeldAcrossAWriteMayReturnEitherVersion(@Device(size = "4MiB", shortTransfers = 0)
                                                     SimulatedDevice device) throws Exception {
        Gate gate = device.hooks().pause(OpMatcher.reads().overlapping(0, 4096).atStage(Stage.DMA));
        ByteBuffer in = ByteBuffer.allocate(4096);
        Thread reader = new Thread(() -> {
            try {
                device.read(in, 0, IoMode.BUFFERED);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        reader.start();
        gate.awaitPaused(Duration.ofSeconds(10));
        ByteBuffer out = ByteBuffer.allocate(4096);
        out.put(0, (byte) 9);
        device.write(out, 0, IoMode.BUFFERED);
        gate.release();
        reader.join();
        // The read was held at DMA until the write completed, so it sees the new version; the oracle agrees.
        assertEquals(9, in.get(0));
        device.checkServed(0, ByteBuffer.wrap(in.array()));
    }
}
