package io.staleguard.device.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The main job's options and its workload. */
class SoakMainTest {

    @Test
    void durationsInTheDocumentedForms() {
        assertThat(SoakMain.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SoakMain.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(SoakMain.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(SoakMain.parseDuration(" 3 ")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> SoakMain.parseDuration("soon")).isInstanceOf(IllegalArgumentException.class)
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
