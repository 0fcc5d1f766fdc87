package io.staleguard.junit.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.channels.DeviceChannels;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * A channel opened on the counting view samples the device's writeback error as one opened on the device does:
 * the open reaches the device, so a channel opened after the error was seen never reports it.
 */
class CountingDeviceFsyncErrorTest {

    @Test
    void aChannelOpenedOnTheViewAfterTheErrorWasSeenDoesNotReportIt() throws Exception {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).seed(3)
                .ioPath(new KernelIoPath(KernelPreset.MODERN.config(), KernelIoPath.DEFAULT_MAX_PAGES,
                        KernelIoPath.DEFAULT_WRITEBACK_DMA_NANOS, 3_600_000_000_000L)).build()) {
            // The device's own flusher waits an hour: the page stays dirty until the failing force.
            CountingDevice view = new CountingDevice(dev);
            try (FileChannel a = DeviceChannels.open(view, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                a.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
                dev.faults().failFsync(1);
                assertThatThrownBy(() -> a.force(true)).hasMessage("Input/output error");
                try (FileChannel later = DeviceChannels.open(view, StandardOpenOption.READ)) {
                    later.force(true);
                }
            }
        }
    }
}
