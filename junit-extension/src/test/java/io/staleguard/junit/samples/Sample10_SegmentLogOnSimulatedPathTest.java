package io.staleguard.junit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.staleguard.device.ViolationKind;
import io.staleguard.junit.Device;
import io.staleguard.junit.IoConsistencyError;
import io.staleguard.junit.StaleguardTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Sample 10: storage code that works with files, on the simulated device. {@code @Device Path dir} on the default
 * SIMULATED backend is a fresh directory of a simulated filesystem on the test's simulated device: every byte the
 * code reads or writes under it goes through the simulated kernel, with protection information computed at
 * submission, the seeded DMA delay and short transfers, and the history oracle. {@code kernel}, {@code dax},
 * {@code shortTransfers}, {@code protection}, {@code blockSize} and {@code size} apply as for a raw device.
 *
 * <p>The code under test is a segment log: 4 KiB records appended through an {@code AsynchronousFileChannel},
 * four records per segment file. Its buggy twin refills its one buffer with the next record while the previous
 * write is still in flight, so the device takes bytes that do not match the guard computed at submission: a
 * GUARD_TAG violation fails the test. The correct log waits for each write before it reuses the buffer.
 */
@StaleguardTest
class Sample10_SegmentLogOnSimulatedPathTest {

    /** A log of fixed-size records in segment files {@code seg-0.log}, {@code seg-1.log}, ... */
    static final class SegmentLog implements AutoCloseable {
        static final int RECORD = 4096;
        static final int PER_SEGMENT = 4;

        private final Path dir;
        private final boolean waitBeforeReuse;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(RECORD);
        private final List<Future<Integer>> pending = new ArrayList<>();
        private AsynchronousFileChannel segment;
        private int records;

        SegmentLog(Path dir, boolean waitBeforeReuse) {
            this.dir = dir;
            this.waitBeforeReuse = waitBeforeReuse;
        }

        void append(byte value) throws IOException, InterruptedException, ExecutionException {
            if (records % PER_SEGMENT == 0) {
                roll();
            }
            buffer.clear();
            while (buffer.hasRemaining()) {
                buffer.put(value);
            }
            buffer.flip();
            long at = (long) (records % PER_SEGMENT) * RECORD;
            Future<Integer> write = segment.write(buffer.duplicate(), at);
            if (waitBeforeReuse) {
                writeRest(write, at);
            } else {
                pending.add(write); // the bug: the next append refills the buffer while this write is in flight
            }
            records++;
        }

        /** A short asynchronous write is legal: write the rest of the record. */
        private void writeRest(Future<Integer> write, long at) throws InterruptedException, ExecutionException {
            int n = write.get();
            while (n < RECORD) {
                n += segment.write(buffer.duplicate().position(n), at + n).get();
            }
        }

        private void roll() throws IOException, InterruptedException, ExecutionException {
            if (segment != null) {
                close();
            }
            segment = AsynchronousFileChannel.open(dir.resolve("seg-" + records / PER_SEGMENT + ".log"),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        @Override
        public void close() throws IOException, InterruptedException, ExecutionException {
            for (Future<Integer> f : pending) {
                f.get();
            }
            pending.clear();
            segment.force(true);
            segment.close();
        }
    }

    private static void appendTwelve(Path dir, boolean waitBeforeReuse) throws Exception {
        try (SegmentLog log = new SegmentLog(dir, waitBeforeReuse)) {
            for (int i = 1; i <= 12; i++) {
                log.append((byte) i);
            }
        }
    }

    @Test
    void theCorrectLogIsClean(@Device Path dir) throws Exception {
        appendTwelve(dir, true);
        try (var segments = Files.list(dir)) {
            assertEquals(3, segments.count());
        }
        byte[] last = Files.readAllBytes(dir.resolve("seg-2.log"));
        assertEquals(4 * SegmentLog.RECORD, last.length);
        assertEquals(12, last[last.length - 1]);
    }

    /** The buggy twin, run through the JUnit testkit below: the build excludes the "staleguard-kit" tag. */
    @StaleguardTest
    @Tag("staleguard-kit")
    static class BuggyLog {
        @Test
        void appendTwelve(@Device Path dir) throws Exception {
            Sample10_SegmentLogOnSimulatedPathTest.appendTwelve(dir, false);
        }
    }

    @Test
    void theBuggyTwinIsCaught(@TempDir Path reports) {
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter").selectors(selectClass(BuggyLog.class))
                .configurationParameters(Map.of("staleguard.reportDir", reports.toString())).execute();
        Throwable failure = r.testEvents().failed().list().get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
        IoConsistencyError error = assertInstanceOf(IoConsistencyError.class, failure);
        assertTrue(error.counts().containsKey(ViolationKind.GUARD_TAG), error::getMessage);
    }
}
