package io.staleguard.device.sim.kernel;

import static io.staleguard.device.sim.kernel.KernelIoPathTest.BS;
import static io.staleguard.device.sim.kernel.KernelIoPathTest.aligned;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.SimulatedDevice;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Reads smaller than a block (a record header, a 64-byte mapped load) are judged on the whole
 * blocks they were served from: a stale page is caught by a 1-byte read, and the twin on a fixed
 * kernel is clean.
 */
class SubBlockReadsTest {

    static SimulatedDevice device(KernelConfig cfg) {
        return SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(13).ioPath(KernelIoPath.of(cfg)).build();
    }

    @Test
    void aSmallBufferedReadOfAStalePageIsAStaleRead() throws Exception {
        for (KernelPreset p : new KernelPreset[] {KernelPreset.DIO_NO_INVALIDATE, KernelPreset.MODERN}) {
            try (SimulatedDevice dev = device(p.config())) {
                dev.read(ByteBuffer.allocate(16), 0, IoMode.BUFFERED);     // read-ahead caches pages 0-3
                dev.write(aligned(4096, 1), 8192, IoMode.DIRECT);
                ByteBuffer header = ByteBuffer.allocate(16);
                dev.read(header, 8192 + 600, IoMode.BUFFERED);              // 16 bytes inside block 17
                assertVerdict(dev, p, 8192 + BS, header.get(0), (byte) (1 + 600));
            }
        }
    }

    @Test
    void aSmallMappedLoadOfAStalePageIsAStaleRead() throws Exception {
        for (KernelPreset p : new KernelPreset[] {KernelPreset.DIO_NO_INVALIDATE, KernelPreset.MODERN}) {
            try (SimulatedDevice dev = device(p.config())) {
                KernelMapping map = KernelIoPath.map(dev, 0, 16 * 4096);
                map.getLong(8192 + 600);                                    // faults page 2 in
                dev.write(aligned(4096, 1), 8192, IoMode.DIRECT);
                byte got = load(map, 8192 + 600);
                assertVerdict(dev, p, 8192 + BS, got, (byte) (1 + 600));
            }
        }
    }

    @Test
    void aSmallDaxLoadOfAStaleZeroPageIsAStaleRead() throws Exception {
        for (KernelPreset p : new KernelPreset[] {KernelPreset.DAX_UNLOCKED_FAULT_2017, KernelPreset.MODERN}) {
            try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(13)
                    .ioPath(KernelIoPath.dax(p.config())).build()) {
                KernelIoPath path = (KernelIoPath) dev.ioPath();
                KernelMapping map = KernelIoPath.map(dev, 0, 16 * 4096);
                DaxFaultGate gate = KernelIoPath.pauseDaxFault(dev, 8192);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread reader = new Thread(() -> {
                    try {
                        load(map, 8192 + 600);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }, "reader");
                reader.start();
                gate.awaitPaused(Duration.ofSeconds(10));
                Thread writer = new Thread(() -> {
                    try {
                        dev.write(aligned(4096, 1), 8192, IoMode.DIRECT);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }, "writer");
                writer.start();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (writer.isAlive() && path.daxInvalidationWaits() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                gate.release();
                writer.join(10_000);
                reader.join(10_000);
                assertThat(failure.get()).isNull();
                byte got = load(map, 8192 + 600);
                assertVerdict(dev, p, 8192 + BS, got, (byte) (1 + 600));
            }
        }
    }

    /** A 1-byte mapped load. */
    static byte load(KernelMapping map, long position) {
        ByteBuffer b = ByteBuffer.allocate(1);
        map.get(position, b);
        return b.get(0);
    }

    private static void assertVerdict(SimulatedDevice dev, KernelPreset p, long block, byte got, byte written) {
        if (p == KernelPreset.MODERN) {
            assertThat(dev.violations().total()).as(p + ": " + dev.violations().all()).isZero();
            assertThat(got).isEqualTo(written);
            return;
        }
        List<Violation> stale = dev.violations().ofKind(ViolationKind.STALE_READ);
        assertThat(stale).as(p.name()).isNotEmpty();
        assertThat(stale).anySatisfy(v -> {
            assertThat(v.offset()).isEqualTo(block);
            assertThat(v.length()).isEqualTo(BS);
        });
        assertThat(got).as("the reader got the old byte").isZero();
    }
}
