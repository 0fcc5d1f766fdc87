package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.ViolationKind;
import io.staleguard.junit.kit.BufferReusingLog;
import io.staleguard.junit.kit.Kit;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** A {@code Path} on FILE: the verifying filesystem catches the same buggy storage code as the device does. */
class PathInjectionTest {

    @TempDir
    Path reports;

    @StaleguardTest
    @Tag("staleguard-kit")
    static class ReusedBufferOnFile {
        @Test
        void buggy(@Device(backend = Backend.FILE) Path dir) throws Exception {
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("wal"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                BufferReusingLog log = new BufferReusingLog(ch, true);
                for (int i = 1; i <= 8; i++) {
                    log.append((byte) i);
                }
                log.sync();
            }
        }

        @Test
        void correct(@Device(backend = Backend.FILE) Path dir) throws Exception {
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("wal"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                BufferReusingLog log = new BufferReusingLog(ch, false);
                for (int i = 1; i <= 8; i++) {
                    log.append((byte) i);
                }
                log.sync();
            }
            byte[] all = Files.readAllBytes(dir.resolve("wal"));
            for (int i = 0; i < 8; i++) {
                if (all[i * 4096] != i + 1 || all[i * 4096 + 4095] != i + 1) {
                    throw new AssertionError("record " + i + " lost");
                }
            }
        }
    }

    @Test
    void reusedAsyncBufferOnFileIsAGuardTagViolationAndItsTwinPasses() throws Exception {
        EngineExecutionResults r = Kit.run(ReusedBufferOnFile.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        Throwable t = Kit.failure(r, "buggy");
        assertThat(t).isInstanceOf(IoConsistencyError.class);
        IoConsistencyError e = (IoConsistencyError) t;
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.GUARD_TAG);
        // Every record but the last was overwritten by its successor before its delayed write ran.
        assertThat(e.violations()).isNotEmpty().allSatisfy(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.GUARD_TAG);
            assertThat(v.offset() % 4096).isZero();
            assertThat(v.offset()).isLessThan(7 * 4096L);
            assertThat(v.detail()).contains("wal");
        });
        assertThat(e.getMessage()).contains("NOTE: reproduce with: mvn test -Dtest=PathInjectionTest$"
                + "ReusedBufferOnFile#buggy -Dstaleguard.seed=0x0000000000005eed");
        Path report = reports.resolve(ReusedBufferOnFile.class.getName()).resolve("buggy.json");
        String json = Files.readString(report);
        assertThat(json).contains("\"format\": \"staleguard-test-report/1\"", "\"status\": \"FAILED\"",
                "\"backend\": \"FILE\"", "\"kind\": \"GUARD_TAG\"");
        assertThat(Files.readString(reports.resolve(ReusedBufferOnFile.class.getName()).resolve("correct.json")))
                .contains("\"status\": \"PASSED\"", "\"counts\": {}");
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class EveryOpenRouteIsVerified {
        @Test
        void routes(@Device(backend = Backend.FILE) Path dir) throws Exception {
            Path a = dir.resolve("a");
            Files.write(a, "hello".getBytes(StandardCharsets.UTF_8));
            if (!new String(Files.readAllBytes(a), StandardCharsets.UTF_8).equals("hello")) {
                throw new AssertionError("Files.write/readAllBytes");
            }
            try (SeekableByteChannel ch = Files.newByteChannel(dir.resolve("b"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                ch.write(ByteBuffer.wrap(new byte[8192]));
            }
            try (FileChannel ch = FileChannel.open(dir.resolve("c"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                ch.write(ByteBuffer.wrap(new byte[4096]), 4096);
                ch.read(ByteBuffer.allocate(8192), 0);
            }
            Files.createDirectories(dir.resolve("sub/dir"));
            Files.writeString(dir.resolve("sub/dir/x"), "x");
            try (var s = Files.list(dir)) {
                if (s.count() != 4) {
                    throw new AssertionError("listing");
                }
            }
        }
    }

    @Test
    void filesWriteReadAllBytesNewByteChannelAndFileChannelOpenAllGoThroughTheVerifier() throws Exception {
        EngineExecutionResults r = Kit.run(EveryOpenRouteIsVerified.class, reports);
        Kit.assertCounts(r, 1, 0, 0);
        String json = Files.readString(reports.resolve(EveryOpenRouteIsVerified.class.getName())
                .resolve("routes.json"));
        // 7 verified calls: Files.write, readAllBytes (2 reads: data, then EOF is not counted), the byte
        // channel's write, FileChannel write + read, writeString.
        assertThat(json).contains("\"backend\": \"FILE\"");
        assertThat(json).containsPattern("\"operations\": ([6-9]|1[0-9])");
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class WriteBehindTheVerifiersBack {
        @Test
        void escapedWrite(@Device(backend = Backend.FILE) Path dir) throws Exception {
            Path data = dir.resolve("data");
            Files.write(data, new byte[8192]);
            // Path.of builds a host path: this write escapes the verifier, as docs/USER-GUIDE.md warns.
            Files.write(Path.of(data.toString()), new byte[] {1, 2, 3}, StandardOpenOption.WRITE);
            Files.readAllBytes(data);
        }
    }

    @Test
    void readsThroughThePathAreCheckedByTheHistoryOracle() {
        EngineExecutionResults r = Kit.run(WriteBehindTheVerifiersBack.class, reports);
        Kit.assertCounts(r, 0, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "escapedWrite");
        // The first block now matches no version the verifier saw written.
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.CORRUPT_READ);
        assertThat(e.violations().get(0).offset()).isZero();
    }
}
