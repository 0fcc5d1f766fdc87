package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.ViolationKind;
import io.staleguard.device.loop.Availability;
import io.staleguard.device.loop.LoopDevice;
import io.staleguard.junit.kit.BufferReusingLog;
import io.staleguard.junit.kit.Kit;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A buffer reused before its asynchronous write was awaited is caught on every record, on FILE and on LOOP, even
 * when the producer is slower than the seeded delay (as on a freshly made ext4 on a loop device): the write is
 * held until the caller waits for it. On LOOP the counts come from the verifying filesystem and no device data
 * file is left on the mount.
 */
class SlowProducerReuseTest {

    private static final int RECORDS = 64;
    /**
     * The longest the extension holds a write its caller has not waited for (docs/USER-GUIDE.md: "or 200 ms have
     * passed"). A reuse sooner than that after the write was submitted is caught every time.
     */
    private static final long HOLD_NANOS = 200_000_000L;
    /**
     * Reuses in the last buggy run that may have come after their write's hold ended: the producer stalled (a
     * loaded machine descheduled it) for longer than the hold between a record's append and the next one's.
     */
    static final AtomicInteger lateReuses = new AtomicInteger();

    @TempDir
    Path reports;

    /** Appends {@code RECORDS} records, spending a millisecond (longer than most delays) after each. */
    static void slowLog(Path dir, boolean reuse) throws Exception {
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("wal"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            BufferReusingLog log = new BufferReusingLog(ch, reuse);
            if (reuse) {
                lateReuses.set(0);
            }
            long previousStart = 0;
            for (int i = 1; i <= RECORDS; i++) {
                long start = System.nanoTime();
                log.append((byte) i);   // refills the buffer of record i - 1, then submits record i
                if (reuse && i > 1 && System.nanoTime() - previousStart >= HOLD_NANOS) {
                    lateReuses.incrementAndGet();
                }
                previousStart = start;
                long until = System.nanoTime() + 1_000_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            log.sync();
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class OnFile {
        @Test
        void buggy(@Device(backend = Backend.FILE) Path dir) throws Exception {
            slowLog(dir, true);
        }

        @Test
        void correct(@Device(backend = Backend.FILE) Path dir) throws Exception {
            slowLog(dir, false);
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class OnLoop {
        @Test
        void buggy(@Device(backend = Backend.LOOP, filesystem = Filesystem.EXT4, size = "16MiB") Path dir)
                throws Exception {
            slowLog(dir, true);
            if (Files.exists(dir.getParent().resolve(LoopDevice.DATA_FILE))) {
                throw new AssertionError("the loop device's data file was left on the mount");
            }
        }

        @Test
        void correct(@Device(backend = Backend.LOOP, filesystem = Filesystem.EXT4, size = "16MiB") Path dir)
                throws Exception {
            slowLog(dir, false);
        }
    }

    private void assertEveryReuseCaught(Class<?> tests, String backend) throws Exception {
        EngineExecutionResults r = Kit.run(tests, reports);
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        // Every record but the last was overwritten by its successor before its write was awaited: each is caught,
        // but for a reuse that came after its write's hold had ended (none, unless the producer stalled).
        int late = lateReuses.get();
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.GUARD_TAG);
        assertThat(e.counts().get(ViolationKind.GUARD_TAG)).as("%d reuses later than the hold", late)
                .isBetween((long) RECORDS - 1 - late, (long) RECORDS - 1);
        String json = Files.readString(reports.resolve(tests.getName()).resolve("buggy.json"));
        assertThat(json).contains("\"backend\": \"" + backend + "\"")
                .contains("\"operations\": " + RECORDS, "\"bytes\": " + RECORDS * 4096);
    }

    @Test
    void onFileEveryReusedBufferIsCaughtAndTheTwinIsClean() throws Exception {
        assertEveryReuseCaught(OnFile.class, "FILE");
    }

    @Test
    void onLoopEveryReusedBufferIsCaughtCountedThroughTheFilesystemAndTheTwinIsClean() throws Exception {
        Availability a = LoopDevice.availability(io.staleguard.device.loop.FilesystemType.EXT4);
        org.junit.jupiter.api.Assumptions.assumeTrue(a.available() || "true".equalsIgnoreCase(System.getenv("CI")),
                () -> "loop devices unavailable: " + a.reason());
        assertEveryReuseCaught(OnLoop.class, "LOOP");
    }
}
