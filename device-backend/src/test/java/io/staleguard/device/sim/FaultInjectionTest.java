package io.staleguard.device.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import io.staleguard.device.TimelineEvent;
import io.staleguard.device.sim.internal.DeviceFaults;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Each injected fault fires where and when it was asked, on the simulated device (issue #13, plan §5.2). */
class FaultInjectionTest {

    private static SimulatedDevice device() {
        return SimulatedDevice.builder().capacity(1 << 20).seed(7).dmaDelay(java.time.Duration.ZERO,
                java.time.Duration.ZERO).build();
    }

    private static ByteBuffer block(int fill) {
        byte[] b = new byte[4096];
        java.util.Arrays.fill(b, (byte) fill);
        return ByteBuffer.wrap(b);
    }

    private static long faultEvents(SimulatedDevice d) {
        return d.operationLog().snapshot().stream().filter(e -> e.type() == TimelineEvent.Type.IO_FAULT).count();
    }

    @Test
    void faultsOffAreInactiveAndFireNothing() throws Exception {
        try (SimulatedDevice d = device()) {
            assertThat(d.faults().isActive()).isFalse();
            d.write(block(1), 0, IoMode.DIRECT);
            d.flush();
            d.read(ByteBuffer.allocate(4096), 0, IoMode.DIRECT);
            assertThat(d.faults().fired()).isEmpty();
            assertThat(d.violations().total()).isZero();
            assertThat(faultEvents(d)).isZero();
        }
    }

    @Test
    void failFsyncFailsTheNextFlushesThenDisarms() throws Exception {
        try (SimulatedDevice d = device()) {
            d.faults().failFsync(2);
            assertThat(d.faults().isActive()).isTrue();
            assertThatThrownBy(d::flush).isInstanceOf(IOException.class).hasMessage("Input/output error");
            assertThatThrownBy(d::flush).isInstanceOf(IOException.class).hasMessage("Input/output error");
            d.flush();
            assertThat(d.faults().isActive()).isFalse();
            assertThat(d.faults().fired()).hasSize(2);
            assertThat(d.faults().fired().get(0).fault().kind()).isEqualTo(FaultKind.FSYNC_ERROR);
            assertThat(d.faults().fired().get(1).sequence()).isEqualTo(2);
            assertThat(faultEvents(d)).isEqualTo(2);
        }
    }

    @Test
    void theInternalSeamConsumesTheSameCount() throws Exception {
        try (SimulatedDevice d = device()) {
            DeviceFaults f = DeviceFaults.of(d);
            assertThat(f.active()).isFalse();
            assertThat(f.takeFsyncFailure()).isFalse();
            d.faults().failFsync(1);
            assertThat(f.active()).isTrue();
            assertThat(f.takeFsyncFailure()).isTrue();
            assertThat(f.takeFsyncFailure()).isFalse();
            d.flush();
        }
    }

    @Test
    void armingChecksItsArgumentsNamingTheValue() throws Exception {
        try (SimulatedDevice d = device()) {
            assertThatThrownBy(() -> d.faults().failFsync(0)).hasMessage("failFsync: times must be >= 1, was 0");
            assertThatThrownBy(() -> d.faults().failReads(100, 4096))
                    .hasMessage("failReads: offset 100 is not a multiple of the block size 4096");
            assertThatThrownBy(() -> d.faults().flipBit(0, 8)).hasMessage("flipBit: bit must be in 0..7, was 8");
            assertThatThrownBy(() -> d.faults().rates("lost-wirte"))
                    .hasMessageStartingWith("unknown fault 'lost-wirte'");
        }
    }
}
