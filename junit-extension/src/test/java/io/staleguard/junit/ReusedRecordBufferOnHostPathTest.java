package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.loop.Availability;
import io.staleguard.device.loop.FilesystemType;
import io.staleguard.device.loop.LoopDevice;
import io.staleguard.junit.kit.Kit;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A buffer reused before its asynchronous file write landed, on the host's filesystems: a log appends two-block
 * records with {@code AsynchronousFileChannel.write(buf, pos)} and, in its buggy version, writes the next record's
 * header into {@code buf} before the future completed. The protection information computed at submission no longer
 * matches what lands: a {@code GUARD_TAG} in the log file at the block the header changed. The twin waits for each
 * write first. On FILE (a directory of the host's filesystem) and on LOOP (ext4 on a loop device; skipped loudly
 * when loop devices are unavailable, failing in CI). The simulated filesystem's twin is
 * {@code BufferReuseOnFileTest} in device-backend.
 */
class ReusedRecordBufferOnHostPathTest {

    static final int BS = 4096;
    /** The record the buggy log overwrites in flight: two blocks at file offset 6 blocks (its fourth record). */
    static final long RECORD_AT = 6L * BS;

    @TempDir
    Path reports;

    /** Appends four records; the buggy log writes the next header before the last record's write completed. */
    static void appendRecords(Path dir, boolean waitBeforeReuse) throws Exception {
        Path log = dir.resolve("log_inprogress_0");
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(log, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(2 * BS);
            for (long at = 0; at <= RECORD_AT; at += 2 * BS) {
                buf.clear();
                while (buf.hasRemaining()) {
                    buf.putLong(at * 31 + buf.position());
                }
                buf.flip();
                Future<Integer> record = ch.write(buf.duplicate(), at);
                if (at < RECORD_AT || waitBeforeReuse) {
                    if (record.get(10, TimeUnit.SECONDS) != 2 * BS) {
                        throw new AssertionError("short asynchronous write at " + at);
                    }
                }
                if (at == RECORD_AT) {
                    buf.putLong(BS + 64, 0x5A5A5A5A5A5A5A5AL);   // the next record's header, into the same buffer
                    record.get(10, TimeUnit.SECONDS);
                }
            }
            ch.force(true);
        }
        if (waitBeforeReuse) {
            byte[] all = Files.readAllBytes(log);
            ByteBuffer b = ByteBuffer.wrap(all);
            for (long at = 0; at <= RECORD_AT; at += 2 * BS) {
                if (b.getLong((int) (at + BS + 64)) != at * 31 + BS + 64) {
                    throw new AssertionError("record at " + at + " lost");
                }
            }
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class OnFile {
        @Test
        void buggy(@Device(backend = Backend.FILE) Path dir) throws Exception {
            appendRecords(dir, false);
        }

        @Test
        void correct(@Device(backend = Backend.FILE) Path dir) throws Exception {
            appendRecords(dir, true);
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class OnLoop {
        @Test
        void buggy(@Device(backend = Backend.LOOP, filesystem = Filesystem.EXT4, size = "16MiB") Path dir)
                throws Exception {
            appendRecords(dir, false);
        }

        @Test
        void correct(@Device(backend = Backend.LOOP, filesystem = Filesystem.EXT4, size = "16MiB") Path dir)
                throws Exception {
            appendRecords(dir, true);
        }
    }

    private static void assertCaughtAtTheRecordsSecondBlock(EngineExecutionResults r) {
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.counts()).as(e.getMessage()).containsOnlyKeys(ViolationKind.GUARD_TAG);
        assertThat(e.violations()).as(e.getMessage()).hasSize(1);
        Violation v = e.violations().get(0);
        assertThat(v.offset()).as("the file offset of the block the header changed").isEqualTo(RECORD_AT + BS);
        assertThat(v.length()).isEqualTo(BS);
        assertThat(v.detail()).contains("log_inprogress_0");
        assertThat(v.location()).as("the file and the offset in it").isNotNull();
        assertThat(v.location().path()).endsWith("/log_inprogress_0");
        assertThat(v.location().offset()).isEqualTo(RECORD_AT + BS);
        assertThat(e.getMessage()).contains("reproduce with");
    }

    @Test
    void onFileTheReusedRecordBufferIsAGuardTagAtTheChangedBlockAndItsTwinPasses() {
        assertCaughtAtTheRecordsSecondBlock(Kit.run(OnFile.class, reports));
    }

    @Test
    void onLoopTheReusedRecordBufferIsAGuardTagAtTheChangedBlockAndItsTwinPasses() {
        Availability a = LoopDevice.availability(FilesystemType.EXT4);
        if (!a.available()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI must run the LOOP backend tests, but loop devices are unavailable: "
                        + a.reason());
            }
            System.err.println("*** SKIPPED ReusedRecordBufferOnHostPathTest on LOOP: loop devices unavailable "
                    + "here: " + a.reason() + " (these tests run in CI) ***");
            Assumptions.abort("loop devices unavailable: " + a.reason());
        }
        assertCaughtAtTheRecordsSecondBlock(Kit.run(OnLoop.class, reports));
    }
}
