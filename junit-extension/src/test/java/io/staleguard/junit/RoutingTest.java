package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.LuceneWorkload;
import io.staleguard.device.fs.RoutingRequired;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.kit.BufferReusingLog;
import io.staleguard.junit.kit.Kit;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * With the routing provider installed, an injected {@code Path} is a default-filesystem path, and code that builds
 * its own paths from its name ({@code Paths.get(dir.toString())}) is judged on SIMULATED and FILE alike.
 */
@Tag(RoutingRequired.TAG)
class RoutingTest {

    private static final int BS = 4096;
    private static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    @TempDir
    Path reports;

    @BeforeEach
    void needsRouting() {
        RoutingRequired.provider();
        SEEN.clear();
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class RoutedSimulatedPath {
        @Test
        void reachesTheDevice(@Device(name = "db") Path dir, @Device(name = "db") SimulatedDevice device)
                throws Exception {
            SEEN.put("passing", dir.toString());
            if (dir.getFileSystem() != FileSystems.getDefault()) {
                throw new AssertionError("not a default-filesystem path: " + dir);
            }
            File asFile = dir.toFile();
            long before = device.operations();
            Files.writeString(Paths.get(asFile.getPath(), "MANIFEST"), "manifest");
            if (device.operations() <= before) {
                throw new AssertionError("the write did not reach the simulated device");
            }
            if (!Files.readString(dir.resolve("MANIFEST")).equals("manifest")) {
                throw new AssertionError("read back");
            }
            if (asFile.exists() || asFile.getParentFile().exists() || new File(asFile, "MANIFEST").exists()) {
                throw new AssertionError("the routed directory exists on the host: " + asFile);
            }
            try (FileInputStream in = new FileInputStream(new File(asFile, "MANIFEST"))) {
                throw new AssertionError("java.io passed quietly: " + in);
            } catch (FileNotFoundException expected) {
                SEEN.put("java.io", expected.getMessage());
            }
        }

        @Test
        void failsButClosesItsRoute(@Device Path dir) throws Exception {
            SEEN.put("failing", dir.toString());
            Files.writeString(Path.of(dir.toString(), "f"), "x");
            throw new AssertionError("planned failure");
        }
    }

    @Test
    void anInjectedSimulatedPathIsADefaultPathWhoseJavaIoFailsAndWhoseRouteClosesAtTeardown() throws Exception {
        EngineExecutionResults r = Kit.run(RoutedSimulatedPath.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        assertThat(Kit.failure(r, "failsButClosesItsRoute")).hasMessage("planned failure");
        assertThat(SEEN.get("java.io")).contains("MANIFEST", "No such file or directory");
        for (String dir : new String[] {SEEN.get("passing"), SEEN.get("failing")}) {
            assertThat(dir).contains("/staleguard-routed-");
            assertThat(Files.exists(Path.of(dir))).as("route of " + dir + " closed, nothing on the host").isFalse();
            assertThatThrownBy(() -> Files.writeString(Path.of(dir, "after"), "x"))
                    .isInstanceOf(NoSuchFileException.class);
        }
        assertThat(Files.readString(reports.resolve(RoutedSimulatedPath.class.getName())
                .resolve("reachesTheDevice.json"))).contains("routed from " + SEEN.get("passing"));
    }

    /** Reads a 16-block segment with one positional read (buggy) or until the buffer is full (correct). */
    private static void readSegment(String dirName, boolean continueShortReads) throws Exception {
        Path segment = Paths.get(dirName, "segment");
        byte[] data = new byte[16 * BS];
        new Random(6).nextBytes(data);
        Files.write(segment, data);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(data.length);
            ch.read(b, 0);
            while (continueShortReads && b.hasRemaining()) {
                ch.read(b, b.position());
            }
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class ShortReadThroughABuiltPath {
        @Test
        void buggy(@Device(shortTransfers = 1.0) Path dir) throws Exception {
            SEEN.put("short", dir.toString());
            readSegment(dir.toString(), false);
        }

        @Test
        void correct(@Device(shortTransfers = 1.0) Path dir) throws Exception {
            readSegment(dir.toString(), true);
        }
    }

    @Test
    void aShortReadTakenAsCompleteThroughAPathBuiltFromTheNameIsCaughtWithTheFileNamed() {
        EngineExecutionResults r = Kit.run(ShortReadThroughABuiltPath.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.SHORT_TRANSFER);
        assertThat(e.violations()).isNotEmpty().allSatisfy(v -> {
            assertThat(v.location()).as("the file and the offset in it").isNotNull();
            assertThat(v.location().path()).as("the name the code under test used, not the simulated one")
                    .isEqualTo(SEEN.get("short") + "/segment");
            assertThat(v.detail()).contains("[in " + SEEN.get("short") + "/segment at file offset");
        });
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class HookOnARoutedFile {
        @Test
        void gated(@Device(name = "d") Path dir, @Device(name = "d") SimulatedDevice device) throws Exception {
            Path wal = Paths.get(dir.toString(), "wal");
            Files.write(Paths.get(dir.toString(), "other"), new byte[3 * BS]);
            var gate = device.hooks().pause(io.staleguard.device.hooks.OpMatcher.writes().onFile(wal)
                    .overlapping(BS, BS));
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(wal, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(BS), 0).get();
                var second = ch.write(ByteBuffer.allocate(BS), BS);
                var paused = gate.awaitPaused(java.time.Duration.ofSeconds(10));
                if (paused == null || paused.file() == null || !paused.file().path().equals(wal.toString())) {
                    throw new AssertionError("the gate on " + wal + " held " + paused);
                }
                gate.release();
                second.get();
            }
        }
    }

    @Test
    void aHookSelectsARoutedFileByThePathTheCodeBuilt() {
        EngineExecutionResults r = Kit.run(HookOnARoutedFile.class, reports);
        Kit.assertCounts(r, 1, 0, 0);
    }

    private static void appendRecords(String dirName, boolean reuseBuffer) throws Exception {
        Path wal = Paths.get(dirName).resolve("wal");
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(wal, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            BufferReusingLog log = new BufferReusingLog(ch, reuseBuffer);
            for (int i = 1; i <= 8; i++) {
                log.append((byte) i);
            }
            log.sync();
        }
        byte[] all = Files.readAllBytes(wal);
        if (!reuseBuffer && (all.length != 8 * BS || all[7 * BS] != 8)) {
            throw new AssertionError("records lost");
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class ReusedBufferOnFileThroughABuiltPath {
        @Test
        void buggy(@Device(backend = Backend.FILE) Path dir) throws Exception {
            SEEN.put("file", dir.toString());
            appendRecords(dir.toString(), true);
        }

        @Test
        void correct(@Device(backend = Backend.FILE) Path dir) throws Exception {
            appendRecords(dir.toString(), false);
            try (RandomAccessFile escapes = new RandomAccessFile(new File(dir.toFile(), "wal"), "r")) {
                if (escapes.length() != 8 * BS) {
                    throw new AssertionError("java.io on FILE reads the host file, unverified");
                }
            }
        }
    }

    @Test
    void onFileAPathBuiltFromTheNameReachesTheVerifyingFileSystem() {
        EngineExecutionResults r = Kit.run(ReusedBufferOnFileThroughABuiltPath.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.GUARD_TAG);
        assertThat(e.violations()).isNotEmpty()
                .allSatisfy(v -> assertThat(v.detail()).contains(SEEN.get("file") + "/wal"));
    }


    @StaleguardTest
    @Tag("staleguard-kit")
    static class LuceneThroughRouting {
        @Test
        void indexes(@Device(name = "idx", size = "64MiB") Path dir,
                     @Device(name = "idx", size = "64MiB") SimulatedDevice device) throws Exception {
            Path index = Paths.get(dir.toString());
            long before = device.operations();
            LuceneWorkload.index(index);
            LuceneWorkload.Found found = LuceneWorkload.search(Paths.get(dir.toString()));
            SEEN.put("leaves", Integer.toString(found.leaves()));
            SEEN.put("docs", Integer.toString(found.docs()));
            SEEN.put("charlie", Integer.toString(found.charlies()));
            SEEN.put("id", Integer.toString(found.id2999()));
            SEEN.put("body", found.body1234());
            SEEN.put("operations", Long.toString(device.operations() - before));
            SEEN.put("onHost", Boolean.toString(new File(dir.toFile(), "segments_5").exists()
                    || dir.toFile().getParentFile().exists()));
        }
    }

    @Test
    void luceneOnAPathBuiltFromTheNameIndexesMergesReopensAndSearchesWithNoViolation() throws Exception {
        EngineExecutionResults r = Kit.run(LuceneThroughRouting.class, reports);
        Kit.assertCounts(r, 1, 0, 0);
        assertThat(SEEN).containsEntry("leaves", "1").containsEntry("docs", Integer.toString(LuceneWorkload.DOCS))
                .containsEntry("charlie", Integer.toString(LuceneWorkload.CHARLIES)).containsEntry("id", "1")
                .containsEntry("body", LuceneWorkload.body(1234))
                .containsEntry("onHost", "false");
        assertThat(Long.parseLong(SEEN.get("operations"))).as("Lucene's I/O went to the simulated device")
                .isGreaterThan(100);
        assertThat(Files.readString(reports.resolve(LuceneThroughRouting.class.getName()).resolve("indexes.json")))
                .contains("\"status\": \"PASSED\"", "\"counts\": {}");
    }
}
