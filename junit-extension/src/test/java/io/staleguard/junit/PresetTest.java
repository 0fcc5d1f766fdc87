package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.kit.Kit;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.DaxFaultGate;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelMapping;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A kernel preset puts a historical state of the Linux I/O stack under an unchanged test: Karl Schendel's ring
 * buffer (an O_DIRECT writer, a buffered reader trailing it with read-ahead; "[patch] aio: invalidate async
 * directio writes", Jeff Moyer, 2008-06-18) reads stale pages on the preset without invalidation after direct
 * writes, and is clean on MODERN.
 */
class PresetTest {

    @TempDir
    Path reports;

    static final int RING = 64;
    static final int BS = 4096;

    /** Three laps of the ring: write block i directly, then read block i - 2 through the page cache. */
    static void ringBuffer(BlockDevice d) throws Exception {
        ByteBuffer w = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS);
        ByteBuffer r = ByteBuffer.allocate(BS);
        for (int lap = 1; lap <= 3; lap++) {
            for (int i = 0; i < RING; i++) {
                w.clear();
                w.putInt(0, lap);
                w.putInt(4, i);
                long at = (long) i * BS;
                while (w.hasRemaining()) {
                    at += d.write(w, at, IoMode.DIRECT);
                }
                int j = Math.floorMod(i - 2, RING);
                r.clear();
                at = (long) j * BS;
                while (r.hasRemaining()) {
                    at += d.read(r, at, IoMode.BUFFERED);
                }
            }
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class RingBuffer {
        @Test
        void buggy(@Device(size = "1MiB", shortTransfers = 0, kernel = "DIO_NO_INVALIDATE") BlockDevice d)
                throws Exception {
            ringBuffer(d);
        }

        @Test
        void correct(@Device(size = "1MiB", shortTransfers = 0, kernel = "MODERN") BlockDevice d) throws Exception {
            ringBuffer(d);
        }
    }

    @Test
    void theRingBufferReadsStalePagesOnlyOnTheHistoricalPreset() throws Exception {
        EngineExecutionResults r = Kit.run(RingBuffer.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.counts()).containsKey(ViolationKind.STALE_READ);
        assertThat(e.violations()).anySatisfy(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(v.offset()).isLessThan((long) RING * BS);
        });
        String json = Files.readString(reports.resolve(RingBuffer.class.getName()).resolve("buggy.json"));
        assertThat(json).contains("\"preset\": \"DIO_NO_INVALIDATE\"");
    }

    @Test
    void theKernelSettingRerunsTheSameClassOnAnotherPreset() {
        EngineExecutionResults r = Kit.run(RingBuffer.class, reports, "staleguard.kernel", "DIO_NO_INVALIDATE");
        Kit.assertCounts(r, 0, 2, 0);
        assertThat(((IoConsistencyError) Kit.failure(r, "correct")).reproduceCommand())
                .endsWith("-Dstaleguard.kernel=DIO_NO_INVALIDATE");
    }

    static final long DAX_PAGE = 8192;

    /**
     * The DAX race of Jan Kara and Ross Zwisler (linux-mm, April 2017): a mapped read faults on a hole and is held
     * between its block lookup and its entry install while a direct write fills the hole; then the page is loaded
     * again. Without the entry lock the zero page stays mapped over the written block.
     */
    static void daxFaultRacesWrite(SimulatedDevice d) throws Exception {
        KernelIoPath path = (KernelIoPath) d.ioPath();
        assertThat(path.isDax()).as("the device runs DAX").isTrue();
        KernelMapping region = KernelIoPath.map(d, 0, 4 * BS);
        DaxFaultGate gate = KernelIoPath.pauseDaxFault(d, DAX_PAGE);
        Thread reader = new Thread(() -> region.get(DAX_PAGE, ByteBuffer.allocate(BS)), "reader");
        reader.start();
        gate.awaitPaused(Duration.ofSeconds(10));
        ByteBuffer data = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS);
        data.limit(BS);
        data.put(0, (byte) 42);
        Thread writer = new Thread(() -> {
            try {
                d.write(data, DAX_PAGE, IoMode.DIRECT);
            } catch (Exception e) {
                throw new IllegalStateException(e);
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
        ByteBuffer again = ByteBuffer.allocate(BS);
        region.get(DAX_PAGE, again);
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class DaxRace {
        @Test
        void buggy(@Device(size = "1MiB", kernel = "DAX_UNLOCKED_FAULT_2017") SimulatedDevice d) throws Exception {
            daxFaultRacesWrite(d);
        }

        @Test
        void correct(@Device(size = "1MiB", shortTransfers = 0, dax = true) SimulatedDevice d) throws Exception {
            daxFaultRacesWrite(d);
        }
    }

    @Test
    void aDaxPresetRunsTheDeviceInDaxModeAndItsZeroPageGoesStale() throws Exception {
        EngineExecutionResults r = Kit.run(DaxRace.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(v.offset()).isEqualTo(DAX_PAGE);
        });
    }
}
