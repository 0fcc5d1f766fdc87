package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.kit.BufferReusingLog;
import io.staleguard.junit.kit.Kit;
import io.staleguard.junit.kit.PageCache;
import io.staleguard.junit.kit.RecordReader;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Each buggy sample fails with the right kind and location; its correct twin passes. */
class DetectionTest {

    @TempDir
    Path reports;

    private IoConsistencyError runPair(Class<?> sample) {
        EngineExecutionResults r = Kit.run(sample, reports);
        Kit.assertCounts(r, 1, 1, 0);
        Throwable t = Kit.failure(r, "buggy");
        assertThat(t).isInstanceOf(IoConsistencyError.class);
        return (IoConsistencyError) t;
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class ReusedBuffer {
        @Test
        void buggy(@Device(shortTransfers = 0) AsynchronousFileChannel ch) throws Exception {
            BufferReusingLog log = new BufferReusingLog(ch, true);
            for (int i = 1; i <= 8; i++) {
                log.append((byte) i);
            }
            log.sync();
        }

        @Test
        void correct(@Device(shortTransfers = 0) AsynchronousFileChannel ch) throws Exception {
            BufferReusingLog log = new BufferReusingLog(ch, false);
            for (int i = 1; i <= 8; i++) {
                log.append((byte) i);
            }
            log.sync();
        }
    }

    @Test
    void bufferReusedBeforeTheAsyncWriteCompletedIsAGuardTagViolation() throws Exception {
        IoConsistencyError e = runPair(ReusedBuffer.class);
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.GUARD_TAG);
        assertThat(e.violations()).allSatisfy(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.GUARD_TAG);
            assertThat(v.offset() % 4096).isZero();
            assertThat(v.offset()).isLessThan(8 * 4096L);
        });
        assertThat(e.getMessage()).contains("guard-tag", "NOTE: reproduce with: mvn test -Dtest=DetectionTest$"
                + "ReusedBuffer#buggy -Dstaleguard.seed=0x0000000000005eed");
        String json = Files.readString(reports.resolve(ReusedBuffer.class.getName()).resolve("buggy.json"));
        assertThat(json).contains("\"backend\": \"SIMULATED\"", "\"preset\": \"MODERN\"", "\"GUARD_TAG\"");
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class SingleReadTakenAsEnd {
        static final int RECORDS = 64;

        @Test
        void buggy(@Device(shortTransfers = 0.2) FileChannel ch) throws Exception {
            RecordReader.writeRecords(ch, RECORDS);
            int n = RecordReader.countRecordsBuggy(ch, RECORDS);
            if (n != RECORDS) {
                throw new AssertionError("lost records: read " + n + " of " + RECORDS);
            }
        }

        @Test
        void correct(@Device(shortTransfers = 0.2) FileChannel ch) throws Exception {
            RecordReader.writeRecords(ch, RECORDS);
            int n = RecordReader.countRecordsCorrect(ch, RECORDS);
            if (n != RECORDS) {
                throw new AssertionError("lost records: read " + n + " of " + RECORDS);
            }
        }
    }

    @Test
    void aSingleShortReadTakenAsEndOfDataIsAShortTransfer() {
        IoConsistencyError e = runPair(SingleReadTakenAsEnd.class);
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.SHORT_TRANSFER);
        assertThat(e.violations().get(0).offset()).isLessThan(64 * 4096L);
        // The test's own assertion failed too, because of the short read; it is attached, not lost.
        assertThat(e.getSuppressed()).anySatisfy(s -> assertThat(s).hasMessageContaining("lost records"));
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class PoisonedCache {

        static byte[] page(int v) {
            byte[] b = new byte[PageCache.PAGE];
            Arrays.fill(b, (byte) v);
            return b;
        }

        /** A miss read of page 0 races a write of page 0; the read is held until the write completed. */
        static byte[] race(SimulatedDevice device, boolean correct) throws Exception {
            PageCache cache = new PageCache(device, correct);
            cache.put(0, page(1));
            Gate gate = device.hooks().pause(OpMatcher.reads().overlapping(0, PageCache.PAGE)
                    .atStage(Stage.COMPLETE));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    cache.get(0);
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "cache-reader");
            reader.start();
            gate.awaitPaused(Duration.ofSeconds(10));
            cache.put(0, page(2));
            gate.release();
            reader.join();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            return cache.get(0);
        }

        @Test
        void buggy(@Device(shortTransfers = 0) SimulatedDevice device) throws Exception {
            race(device, false);
        }

        @Test
        void correct(@Device(shortTransfers = 0) SimulatedDevice device) throws Exception {
            byte[] served = race(device, true);
            if (served[0] != 2) {
                throw new AssertionError("served version " + served[0]);
            }
        }
    }

    @Test
    void aCachePoisonedByARacingReadIsAStaleRead() {
        IoConsistencyError e = runPair(PoisonedCache.class);
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.STALE_READ);
        assertThat(e.violations().get(0).offset()).isZero();
    }
}
