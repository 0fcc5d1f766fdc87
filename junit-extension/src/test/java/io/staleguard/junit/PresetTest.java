package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.kit.Kit;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A kernel preset puts a historical state of the Linux I/O stack under an unchanged test: Karl Schendel's ring
 * buffer (an O_DIRECT writer, a buffered reader trailing it with read-ahead; seed 000_*) reads stale pages on the
 * preset without invalidation after direct writes, and is clean on MODERN.
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
}
