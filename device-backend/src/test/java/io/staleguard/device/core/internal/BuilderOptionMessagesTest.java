package io.staleguard.device.core.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.core.DeviceSettings;
import io.staleguard.device.file.FileDevice;
import io.staleguard.device.file.RealDeviceBuilder;
import io.staleguard.device.loop.LoopDevice;
import io.staleguard.device.sim.SimulatedDevice;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every builder refuses a bad option when it is set, with the same message naming the value: the messages below
 * are the ones each builder gave before the checks were shared ({@link OptionChecks}). Setting options touches no
 * file or loop device, so this needs no root.
 */
class BuilderOptionMessagesTest {

    @Test
    void theSimulatedDeviceBuilderNamesTheBadValue() {
        assertThatThrownBy(() -> SimulatedDevice.builder().capacity(0)).hasMessage("capacity 0 is not positive");
        assertThatThrownBy(() -> SimulatedDevice.builder().blockSize(1024))
                .hasMessage("block size 1024 is not 512 or 4096");
        assertThatThrownBy(() -> SimulatedDevice.builder().shortTransferProbability(Double.NaN))
                .hasMessage("short-transfer probability NaN is not in [0, 1]");
        assertThatThrownBy(() -> SimulatedDevice.builder().dmaDelay(Duration.ofNanos(5), Duration.ofNanos(4)))
                .hasMessage("DMA delay range [PT0.000000005S, PT0.000000004S] is not a range of non-negative durations");
        assertThatThrownBy(() -> SimulatedDevice.builder().dmaDelay(null, Duration.ZERO)).hasMessage("min");
        assertThatThrownBy(() -> SimulatedDevice.builder().workers(1025)).hasMessage("workers 1025 is not in 1..1024");
        assertThatThrownBy(() -> SimulatedDevice.builder().retainedViolations(-1))
                .hasMessage("retained violations -1 is negative");
        assertThatThrownBy(() -> SimulatedDevice.builder().appTag(0xFFFF))
                .hasMessage("application tag 0xffff is not in 0..0xFFFE");
        assertThatThrownBy(() -> SimulatedDevice.builder().maxTransfer(-4)).hasMessage("max transfer -4 is not positive");
    }

    @Test
    void theRealDeviceBuildersNameTheBadValueAlike() {
        sharedOptions(FileDevice.builder());
        sharedOptions(LoopDevice.builder());
        assertThatThrownBy(() -> FileDevice.builder().capacity(-1)).hasMessage("capacity -1 is not positive");
        assertThatThrownBy(() -> FileDevice.builder().blockSize(0)).hasMessage("block size 0 is not 512 or 4096");
        assertThatThrownBy(() -> LoopDevice.builder().capacity(0)).hasMessage("capacity 0 is not positive");
        assertThatThrownBy(() -> LoopDevice.builder().size(-8)).hasMessage("size -8 is not positive");
        assertThatThrownBy(() -> LoopDevice.builder().sectorSize(1024))
                .hasMessage("sectorSize 1024 is not supported (expected 512 or 4096)");
    }

    private static void sharedOptions(RealDeviceBuilder<?> b) {
        assertThatThrownBy(() -> b.shortTransferProbability(-0.5))
                .hasMessage("short-transfer probability -0.5 is not in [0, 1]");
        assertThatThrownBy(() -> b.dmaDelay(Duration.ofMillis(-1), Duration.ZERO))
                .hasMessage("DMA delay range [PT-0.001S, PT0S] is not a range of non-negative durations");
        assertThatThrownBy(() -> b.dmaDelay(Duration.ZERO, null)).hasMessage("max");
        assertThatThrownBy(() -> b.workers(0)).hasMessage("workers 0 is not in 1..1024");
        assertThatThrownBy(() -> b.retainedViolations(-3)).hasMessage("retained violations -3 is negative");
        assertThatThrownBy(() -> b.appTag(-1)).hasMessage("application tag 0xffffffff is not in 0..0xFFFE");
        assertThatThrownBy(() -> b.maxTransfer(0)).hasMessage("max transfer 0 is not positive");
    }

    @Test
    void deviceSettingsNameTheBadValue() {
        assertThatThrownBy(() -> new DeviceSettings("x", 4096, 2048, io.staleguard.device.integrity.ProtectionFormat.NONE,
                0, 0, 0, 0, 1, io.staleguard.device.CompletionOrder.FIFO, false, false, 0, 0, true, 4096))
                .hasMessage("block size 2048 is not 512 or 4096");
        assertThatThrownBy(() -> new DeviceSettings("x", 4096, 4096, io.staleguard.device.integrity.ProtectionFormat.NONE,
                0, 2, 0, 0, 1, io.staleguard.device.CompletionOrder.FIFO, false, false, 0, 0, true, 4096))
                .hasMessage("short-transfer probability 2.0 is not in [0, 1]");
        assertThatThrownBy(() -> new DeviceSettings("x", 4096, 4096, io.staleguard.device.integrity.ProtectionFormat.NONE,
                0, 0, 0, 0, 0, io.staleguard.device.CompletionOrder.FIFO, false, false, 0, 0, true, 4096))
                .hasMessage("workers 0 is not in 1..1024");
        assertThatThrownBy(() -> new DeviceSettings("x", 4096, 4096, io.staleguard.device.integrity.ProtectionFormat.NONE,
                0, 0, 0, 0, 1, io.staleguard.device.CompletionOrder.FIFO, false, false, -1, 0, true, 4096))
                .hasMessage("retained violations -1 is negative");
    }
}
