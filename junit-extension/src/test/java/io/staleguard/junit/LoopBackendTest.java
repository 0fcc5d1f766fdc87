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

    /** The same program on FILE and on LOOP: a {@code Path} on LOOP counts its calls as FILE does. */
    @StaleguardTest
    @Tag("staleguard-kit")
    static class CountedPaths {
        static void writeAndRead(Path dir) throws Exception {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("data"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(4096);
                for (int i = 0; i < 4; i++) {
                    b.clear();
                    while (b.hasRemaining()) {
                        ch.write(b, (long) i * 4096 + b.position());
                    }
                }
                b.clear();
                ch.read(b, 0);
            }
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("async"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocateDirect(4096);
                if (ch.write(b, 0).get() != 4096) {
                    throw new AssertionError("short write");
                }
                ch.force(false);
            }
            java.nio.file.Files.readAllBytes(dir.resolve("async"));
        }

        /** Declared on FILE and moved to LOOP by {@code staleguard.backend=LOOP}, as a loop soak does. */
        @Test
        void overridden(@Device(backend = Backend.FILE, size = "16MiB") Path dir) throws Exception {
            writeAndRead(dir);
        }

        @Test
        void onFile(@Device(backend = Backend.FILE, size = "16MiB") Path dir) throws Exception {
            writeAndRead(dir);
        }

        @Test
        void onLoop(@Device(backend = Backend.LOOP, filesystem = Filesystem.EXT4, size = "16MiB") Path dir)
                throws Exception {
            writeAndRead(dir);
        }
    }

    @Test
    void aPathOnLoopCountsItsOperationsAndBytesAsOnFile() throws Exception {
        EngineExecutionResults r = Kit.run(CountedPaths.class, reports);
        Kit.assertCounts(r, 3, 0, 0);
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode file = m.readTree(
                reports.resolve(CountedPaths.class.getName()).resolve("onFile.json").toFile());
        com.fasterxml.jackson.databind.JsonNode loop = m.readTree(
                reports.resolve(CountedPaths.class.getName()).resolve("onLoop.json").toFile());
        // Four writes and a read on the FileChannel, an asynchronous write, and readAllBytes.
        assertThat(file.get("operations").asLong()).isEqualTo(7);
        assertThat(loop.get("backend").asText()).isEqualTo("LOOP");
        assertThat(loop.get("operations").asLong()).isEqualTo(file.get("operations").asLong());
        assertThat(loop.get("bytes").asLong()).isEqualTo(file.get("bytes").asLong()).isEqualTo(7 * 4096);
        assertThat(loop.get("devices").get(0).get("operations").asLong()).isEqualTo(7);
    }

    @Test
    void aPathMovedToLoopByTheBackendOverrideCountsItsOperationsAsOnFile(@TempDir Path onLoop) throws Exception {
        Kit.assertCounts(Kit.run(CountedPaths.class, reports), 3, 0, 0);
        Kit.assertCounts(Kit.run(CountedPaths.class, onLoop, "staleguard.backend", "LOOP"), 3, 0, 0);
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode file = m.readTree(
                reports.resolve(CountedPaths.class.getName()).resolve("overridden.json").toFile());
        com.fasterxml.jackson.databind.JsonNode loop = m.readTree(
                onLoop.resolve(CountedPaths.class.getName()).resolve("overridden.json").toFile());
        assertThat(file.get("backend").asText()).isEqualTo("FILE");
        assertThat(loop.get("backend").asText()).isEqualTo("LOOP");
        assertThat(loop.get("operations").asLong()).isEqualTo(file.get("operations").asLong()).isPositive();
        assertThat(loop.get("bytes").asLong()).isEqualTo(file.get("bytes").asLong());
    }
}
