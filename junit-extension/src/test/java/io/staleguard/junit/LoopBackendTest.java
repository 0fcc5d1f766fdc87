package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.loop.Availability;
import io.staleguard.device.loop.LoopDevice;
import io.staleguard.junit.kit.BufferReusingLog;
import io.staleguard.junit.kit.Kit;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The LOOP backend through the extension: a raw loop device, and a {@code Path} on ext4 on a loop device where
 * the buffer-reusing log is caught as on the other backends. Needs root and a free loop device: skipped loudly
 * outside CI when they are missing, and failing in CI (CI=true), where .ci/run provides them.
 */
class LoopBackendTest {

    @TempDir
    Path reports;

    @BeforeAll
    static void needsLoopDevices() {
        Availability a = LoopDevice.availability(io.staleguard.device.loop.FilesystemType.EXT4);
        if (a.available()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the LOOP backend tests, but loop devices are unavailable: "
                    + a.reason());
        }
        System.err.println("*** SKIPPED LoopBackendTest: loop devices unavailable here: " + a.reason()
                + " (these tests run in CI) ***");
        Assumptions.abort("loop devices unavailable: " + a.reason());
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class OnLoop {
        @Test
        void raw(@Device(backend = Backend.LOOP, size = "8MiB") BlockDevice device) throws Exception {
            ByteBuffer b = ByteBuffer.allocateDirect(2 * 4096).alignedSlice(4096);
            b.put(0, (byte) 3);
            long at = 0;
            while (b.hasRemaining()) {
                at += device.write(b, at, IoMode.DIRECT);
            }
            b.clear();
            at = 0;
            while (b.hasRemaining()) {
                at += device.read(b, at, IoMode.BUFFERED);
            }
            if (b.get(0) != 3) {
                throw new AssertionError("read back " + b.get(0));
            }
        }

        @Test
        void buggy(@Device(backend = Backend.LOOP, filesystem = Filesystem.EXT4, size = "16MiB") Path dir)
                throws Exception {
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("wal"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                BufferReusingLog log = new BufferReusingLog(ch, true);
                for (int i = 1; i <= 4; i++) {
                    log.append((byte) i);
                }
                log.sync();
            }
        }
    }

    @Test
    void rawDevicesAndPathsOnExt4Work() {
        EngineExecutionResults r = Kit.run(OnLoop.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        Throwable t = Kit.failure(r, "buggy");
        assertThat(t).isInstanceOf(IoConsistencyError.class);
        assertThat(((IoConsistencyError) t).counts()).containsOnlyKeys(ViolationKind.GUARD_TAG);
    }

    @Test
    void aViolationOnAPathOnExt4NamesThePathAndTheFileOffsetInTheReport() throws Exception {
        EngineExecutionResults r = Kit.run(OnLoop.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                reports.resolve(OnLoop.class.getName()).resolve("buggy.json").toFile());
        assertThat(json.get("backend").asText()).isEqualTo("LOOP");
        ReportFormatTest.assertLocatedInHostFile(json, "wal", 3);
    }
}
