package io.staleguard.device.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.IoMode;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A shared buffer refilled while an asynchronous read into it was in flight is the caller's misuse: it is
 * reported as that, naming the buffer and the operation, not as an index error from deep inside the device.
 */
class BufferChangedInFlightTest {

    @ParameterizedTest(name = "kernel path {0}")
    @ValueSource(booleans = {false, true})
    void aBufferShrunkWhileItsReadIsInFlightIsNamedAsTheCallersMisuse(boolean kernel) throws Exception {
        SimulatedDevice.Builder b = SimulatedDevice.builder().capacity(1 << 20).seed(7)
                .dmaDelay(Duration.ofMillis(50), Duration.ofMillis(50));
        if (kernel) {
            b.ioPath(KernelIoPath.of(KernelPreset.MODERN));
        }
        IoMode mode = IoMode.BUFFERED;
        try (SimulatedDevice d = b.build()) {
            d.write(ByteBuffer.allocate(4096), 0, mode);
            ByteBuffer shared = ByteBuffer.allocate(4096);
            var f = d.readAsync(shared, 0, mode);
            shared.clear().limit(16); // refilled for another use before the read completed
            Throwable cause;
            try {
                f.get(30, TimeUnit.SECONDS);
                cause = null;
            } catch (ExecutionException e) {
                cause = e.getCause();
            }
            assertThat(cause).isInstanceOf(IllegalStateException.class);
            assertThat(cause.getMessage()).contains("was changed while the operation was in flight")
                    .contains("limit is now 16").contains("READ");
        }
    }
}
