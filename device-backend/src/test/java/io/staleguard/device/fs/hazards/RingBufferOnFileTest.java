package io.staleguard.device.fs.hazards;

import static io.staleguard.device.fs.hazards.FileHazardRig.BS;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.hazards.RingBufferOnFile.Window;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * H1 and H2 at file level: Karl Schendel's ring buffer ({@link RingBufferOnFile}) on a file of a
 * {@code SimulatedFileSystem} over a {@code SimulatedDevice} with {@code KernelIoPath.of(preset)}. Each buggy preset
 * is caught as a {@code STALE_READ} whose {@link Violation#location()} names the ring file and the slot's offset in
 * it; the same program under the fix is clean.
 */
class RingBufferOnFileTest {

    private static final long SEED = 0x41F1L;

    private static String rig(List<Violation> found) {
        return "seed " + io.staleguard.device.Seeds.hex(FileHazardRig.seed(SEED)) + "; violations: " + found;
    }

    private static List<Violation> run(String method, KernelPreset preset, boolean async, Window window)
            throws Exception {
        try (FileHazardRig rig = FileHazardRig.open("RingBufferOnFileTest#" + method, SEED, preset)) {
            Path dir = Files.createDirectory(rig.fs.getPath("/db"));
            Files.write(dir.resolve("manifest"), new byte[3 * BS]);   // so that the ring is not on the device's first blocks
            Path ring = dir.resolve("ring.buf");
            long reads = new RingBufferOnFile(rig, ring, async, window).run();
            assertThat(reads).as(rig.context()).isEqualTo((long) RingBufferOnFile.LAPS * RingBufferOnFile.SLOTS
                    - RingBufferOnFile.LAG);
            List<Violation> found = rig.device.finish().all();
            if (preset == KernelPreset.MODERN) {
                assertThat(found).as(rig.context(found)).isEmpty();
                return found;
            }
            assertThat(found).as(rig.context(found)).isNotEmpty().allSatisfy(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
                assertThat(v.location()).as("the file and the offset in it").isNotNull();
                assertThat(v.location().path()).isEqualTo("/db/ring.buf");
                assertThat(v.location().offset()).isBetween(0L, (RingBufferOnFile.SLOTS - 1L) * BS);
                assertThat(v.location().offset() % BS).isZero();
                assertThat(v.offset()).as("the device offset under that file offset")
                        .isEqualTo(rig.deviceOffset(ring, v.location().offset()));
                assertThat(v.summary()).contains("/db/ring.buf at file offset " + v.location().offset());
            });
            return found;
        }
    }

    @Test
    void aSyncDirectRingWriterWithoutInvalidationServesTheTrailingBufferedReaderStaleSlots() throws Exception {
        List<Violation> found = run("aSyncDirectRingWriterWithoutInvalidationServesTheTrailingBufferedReaderStaleSlots",
                KernelPreset.DIO_NO_INVALIDATE, false, Window.BETWEEN_WRITES);
        // The reader's first read (slot 0, the writer at slot 3) reads ahead slots 0-3 and marks the window; the
        // asynchronous read-ahead it fires from slot 1 (the writer at slot 4) caches slots 4-11, of which 5 is the
        // first the writer overwrites afterwards.
        assertThat(found.get(0).location().offset()).as(rig(found)).isEqualTo(5L * BS);
    }

    @Test
    void theSameSyncRingUnderModernIsClean() throws Exception {
        run("theSameSyncRingUnderModernIsClean", KernelPreset.MODERN, false, Window.BETWEEN_WRITES);
    }

    @Test
    void readAheadWhileASyncDirectSlotWriteIsInFlightIsStaleUnderTheInvalidateBeforeOnlyKernel() throws Exception {
        run("readAheadWhileASyncDirectSlotWriteIsInFlightIsStaleUnderTheInvalidateBeforeOnlyKernel",
                KernelPreset.DIO_NO_POST_INVALIDATE_2007, false, Window.WHILE_IN_FLIGHT);
    }

    @Test
    void readAheadWhileASyncDirectSlotWriteIsInFlightIsCleanUnderModern() throws Exception {
        run("readAheadWhileASyncDirectSlotWriteIsInFlightIsCleanUnderModern", KernelPreset.MODERN, false,
                Window.WHILE_IN_FLIGHT);
    }

    @Test
    void anAioRingWriterCompletingInIrqContextServesTheTrailingReaderStaleSlots() throws Exception {
        run("anAioRingWriterCompletingInIrqContextServesTheTrailingReaderStaleSlots",
                KernelPreset.AIO_DIO_IRQ_COMPLETION_2008, true, Window.WHILE_IN_FLIGHT);
    }

    @Test
    void theSameAioRingUnderModernIsClean() throws Exception {
        run("theSameAioRingUnderModernIsClean", KernelPreset.MODERN, true, Window.WHILE_IN_FLIGHT);
    }

    @Test
    void anAioRingWithoutAnInFlightReadIsCleanEvenInIrqContext() throws Exception {
        // The invalidation at submission drops what was read ahead earlier: the irq completion's window is the DMA.
        run("anAioRingWithoutAnInFlightReadIsCleanEvenInIrqContext", KernelPreset.MODERN, true,
                Window.BETWEEN_WRITES);
    }
}
