package io.staleguard.device.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.soak.SimulatedDeviceSoak;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The main job's options and its workload. */
class SimulatedDeviceSoakTest {

    @Test
    void durationsInTheDocumentedForms() {
        assertThat(SimulatedDeviceSoak.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SimulatedDeviceSoak.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(SimulatedDeviceSoak.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(SimulatedDeviceSoak.parseDuration(" 3 ")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> SimulatedDeviceSoak.parseDuration("soon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("soon");
    }

    @Test
    void theWorkloadIsCorrectOnASimulatedDevice() throws Exception {
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(2 << 20).blockSize(4096).seed(0x50A)
                .shortTransferProbability(0.1).dmaDelay(Duration.ZERO, Duration.ofNanos(5_000)).build()) {
            SoakWorkload w = new SoakWorkload(d, 0, 0, 2 << 20, 0x50A);
            w.runUntil(System.nanoTime() + Duration.ofMillis(300).toNanos());
            assertThat(w.modelMismatches()).isZero();
            assertThat(d.finish().all()).isEmpty();
            assertThat(d.operations()).isPositive();
        }
    }
}
