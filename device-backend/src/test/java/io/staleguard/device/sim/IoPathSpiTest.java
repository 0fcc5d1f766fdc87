package io.staleguard.device.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The I/O-path SPI: what a path is handed, and one path per device. */
class IoPathSpiTest {

    @Test
    void aPathSeesEachOperationAtSubmissionAndAtDmaThroughThePortOfItsDevice() throws IOException {
        List<PathOperation> submitted = new ArrayList<>();
        List<PathOperation> transferred = new ArrayList<>();
        List<MediaPort> attached = new ArrayList<>();
        IoPath path = new IoPath() {
            @Override
            public void attach(MediaPort port) {
                attached.add(port);
            }

            @Override
            public void submitted(PathOperation op, MediaPort port) {
                submitted.add(op);
            }

            @Override
            public boolean transfer(PathOperation op, MediaPort port) throws IOException {
                transferred.add(op);
                assertThat(port).isSameAs(attached.get(0));
                port.transferToMedia(op);
                return true;
            }
        };
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).seed(3).ioPath(path).build()) {
            assertThat(attached).hasSize(1);
            assertThat(attached.get(0).logicalBlockSize()).isEqualTo(4096);
            assertThat(attached.get(0).capacity()).isEqualTo(1 << 20);
            assertThat(attached.get(0).seed()).isEqualTo(3);
            ByteBuffer b = ByteBuffer.allocateDirect(8192).alignedSlice(4096);
            b.put(0, (byte) 7);
            assertThat(dev.write(b, 4096, IoMode.DIRECT)).isEqualTo(4096);
            assertThat(submitted).hasSize(1);
            assertThat(transferred).containsExactly(submitted.get(0));
            PathOperation op = transferred.get(0);
            assertThat(op.kind()).isEqualTo(OpKind.WRITE);
            assertThat(op.offset()).isEqualTo(4096);
            assertThat(op.length()).isEqualTo(4096);
            assertThat(dev.tamper().readMedia(4096, 1)[0]).isEqualTo((byte) 7);
            assertThat(dev.violations().total()).isZero();
        }
    }

    @Test
    void oneKernelPathServesOneDevice() throws IOException {
        KernelIoPath path = KernelIoPath.of(KernelPreset.MODERN);
        try (SimulatedDevice first = SimulatedDevice.builder().capacity(1 << 20).ioPath(path).build()) {
            assertThat(first.ioPath()).isSameAs(path);
            assertThatThrownBy(() -> SimulatedDevice.builder().capacity(1 << 20).ioPath(path).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("build one path per device");
        }
    }
}
