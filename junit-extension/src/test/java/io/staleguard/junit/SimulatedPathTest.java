package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.BlockDevice;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.kit.Kit;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A {@code Path} on SIMULATED: a directory of the simulated filesystem on the test's simulated device, so the
 * device's detectors, options, hooks and rewriters reach file I/O.
 */
class SimulatedPathTest {

    private static final int BS = 4096;

    @TempDir
    Path reports;

    private static ByteBuffer filled(ByteBuffer b, int value) {
        b.clear();
        while (b.hasRemaining()) {
            b.put((byte) value);
        }
        return b.flip();
    }

    /**
     * A log that appends 4 KiB entries through an {@code AsynchronousFileChannel}. The buggy one refills its
     * buffer with the next entry while the previous write is in flight; the correct one waits for the future.
     */
    private static void appendEntries(Path dir, boolean waitBeforeReuse) throws Exception {
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("wal"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BS);
            List<Future<Integer>> pending = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                filled(buffer, i);
                Future<Integer> f = ch.write(buffer.duplicate(), (long) (i - 1) * BS);
                if (waitBeforeReuse) {
                    if (f.get(10, TimeUnit.SECONDS) != BS) {
                        throw new AssertionError("short asynchronous write");
                    }
                } else {
                    pending.add(f);
                }
            }
            for (Future<Integer> f : pending) {
                f.get(10, TimeUnit.SECONDS);
            }
            ch.force(false);
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class ReusedAsyncBuffer {
        @Test
        void buggy(@Device(shortTransfers = 0) Path dir) throws Exception {
            appendEntries(dir, false);
        }

        @Test
        void correct(@Device(shortTransfers = 0) Path dir) throws Exception {
            appendEntries(dir, true);
            byte[] all = Files.readAllBytes(dir.resolve("wal"));
            for (int i = 0; i < 8; i++) {
                if (all[i * BS] != i + 1 || all[i * BS + BS - 1] != i + 1) {
                    throw new AssertionError("entry " + i + " lost");
                }
            }
        }
    }

    @Test
    void aBufferReusedBeforeItsAsyncFileWriteLandedIsAGuardTagAndItsTwinPasses() throws Exception {
        EngineExecutionResults r = Kit.run(ReusedAsyncBuffer.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.GUARD_TAG);
        assertThat(e.violations()).isNotEmpty().allSatisfy(v -> {
            assertThat(v.offset() % BS).isZero();
            assertThat(v.location()).as("the file and the offset in it").isNotNull();
            assertThat(v.location().path()).isEqualTo("/test/wal");
            assertThat(v.location().offset() % BS).isZero();
        });
        assertThat(e.getMessage()).contains("NOTE: reproduce with: mvn test -Dtest=SimulatedPathTest$"
                + "ReusedAsyncBuffer#buggy -Dstaleguard.seed=0x0000000000005eed");
        String json = Files.readString(reports.resolve(ReusedAsyncBuffer.class.getName()).resolve("buggy.json"));
        assertThat(json).contains("\"status\": \"FAILED\"", "\"backend\": \"SIMULATED\"", "\"kind\": \"GUARD_TAG\"");
        assertThat(Files.readString(reports.resolve(ReusedAsyncBuffer.class.getName()).resolve("correct.json")))
                .contains("\"status\": \"PASSED\"", "\"counts\": {}");
    }

    /** Reads a 16-block segment with one positional read (buggy) or until the buffer is full (correct). */
    private static void readSegment(Path dir, boolean continueShortReads) throws Exception {
        Path segment = dir.resolve("segment");
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
    static class ShortReadTakenAsComplete {
        @Test
        void buggy(@Device(shortTransfers = 1.0) Path dir) throws Exception {
            readSegment(dir, false);
        }

        @Test
        void correct(@Device(shortTransfers = 1.0) Path dir) throws Exception {
            readSegment(dir, true);
        }
    }

    @Test
    void aShortFileReadTakenAsCompleteIsAShortTransferAndItsTwinPasses() {
        EngineExecutionResults r = Kit.run(ShortReadTakenAsComplete.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.SHORT_TRANSFER);
        assertThat(e.violations().get(0).detail()).contains("/test/segment");
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class DeviceOfThePath {
        @Test
        void hookHoldsAFileWrite(@Device(name = "db", shortTransfers = 0) Path dir,
                                 @Device(name = "db", shortTransfers = 0) SimulatedDevice device) throws Exception {
            Gate gate = device.hooks().pause(OpMatcher.writes().atStage(Stage.DMA));
            CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> {
                try (FileChannel ch = FileChannel.open(dir.resolve("held"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    return ch.write(filled(ByteBuffer.allocate(BS), 7), 0);
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            gate.awaitPaused(Duration.ofSeconds(10));
            Thread.sleep(50);
            if (write.isDone()) {
                throw new AssertionError("the gate set through the device did not hold the file write");
            }
            gate.release();
            if (write.get(10, TimeUnit.SECONDS) != BS) {
                throw new AssertionError("write");
            }
            if (Files.readAllBytes(dir.resolve("held"))[BS - 1] != 7) {
                throw new AssertionError("read back");
            }
        }

        @Test
        void optionsApply(@Device(name = "small", size = "2MiB", blockSize = 512, kernel = "DIO_NO_INVALIDATE",
                                  shortTransfers = 0) Path dir,
                          @Device(name = "small", size = "2MiB", blockSize = 512, kernel = "DIO_NO_INVALIDATE",
                                  shortTransfers = 0) BlockDevice device) throws Exception {
            if (Files.getFileStore(dir).getTotalSpace() != 2 << 20 || device.logicalBlockSize() != 512
                    || device.capacity() != 2 << 20 || !dir.toString().equals("/test")) {
                throw new AssertionError(Files.getFileStore(dir).getTotalSpace() + " " + device.describe());
            }
            try (var s = Files.list(dir)) {
                if (s.count() != 0) {
                    throw new AssertionError("the directory is not fresh");
                }
            }
            Files.write(dir.resolve("f"), new byte[1000]);
            if (device.checkServed(0, ByteBuffer.allocate(512)).size() != 0) {
                throw new AssertionError("the file's first block, served as written, is not clean");
            }
        }

    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class TamperedFile {
        @Test
        void tampered(@Device(name = "t", shortTransfers = 0) Path dir,
                      @Device(name = "t", shortTransfers = 0) SimulatedDevice device) throws Exception {
            ByteBuffer b = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS).limit(BS);
            try (FileChannel ch = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                ch.write(filled(b, 3), 0);
                // The filesystem is fresh, so the file's first block is the device's first.
                if (device.tamper().readMedia(0, BS)[BS - 1] != 3) {
                    throw new AssertionError("the file is not on the device's first block");
                }
                device.tamper().corruptData(0, new byte[BS]);
                b.clear();
                ch.read(b, 0);
            }
        }
    }

    @Test
    void aDeviceParameterOfTheSameNameIsTheFileSystemsDevice() {
        EngineExecutionResults r = Kit.run(DeviceOfThePath.class, reports);
        Kit.assertCounts(r, 2, 0, 0);
    }

    @Test
    void mediaTamperedThroughTheDeviceParameterIsCaughtOnTheFile() {
        EngineExecutionResults r = Kit.run(TamperedFile.class, reports);
        Kit.assertCounts(r, 0, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "tampered");
        assertThat(e.counts()).containsKey(ViolationKind.GUARD_TAG);
        assertThat(e.violations().get(0).offset()).isZero();
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class RewritersOnAFileSystem {
        @Rewriters(threads = 2)
        RewriterThreads rewriters;

        @Test
        void stressed(@Device(shortTransfers = 0) Path dir) throws Exception {
            for (int i = 0; i < 20; i++) {
                Files.write(dir.resolve("seg-" + i), new byte[3 * BS]);
                Files.readAllBytes(dir.resolve("seg-" + i));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (rewriters.operations() < 50 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            try (var s = Files.list(dir)) {
                if (s.count() != 20) {
                    throw new AssertionError("the rewriters' file shows in the test's directory");
                }
            }
            if (rewriters.operations() < 50 || rewriters.reservedOffset() != 0
                    || !rewriters.device().describe().contains(".staleguard-rewriters")) {
                throw new AssertionError(rewriters.operations() + " " + rewriters.device().describe());
            }
        }
    }

    @Test
    void rewritersStressTheFileSystemThroughAReservedFile() throws Exception {
        EngineExecutionResults r = Kit.run(RewritersOnAFileSystem.class, reports);
        Kit.assertCounts(r, 1, 0, 0);
        String json = Files.readString(reports.resolve(RewritersOnAFileSystem.class.getName())
                .resolve("stressed.json"));
        assertThat(json).contains("\"status\": \"PASSED\"");
    }

    /** The channel a test below leaves open, and the class filesystem two tests share. */
    static final List<Object> LEFT = new ArrayList<>();

    @StaleguardTest
    @Tag("staleguard-kit")
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class Lifetimes {
        @Device(shortTransfers = 0)
        static Path shared;

        @Test
        void a_leavesAChannelOpen(@Device(shortTransfers = 0) Path dir) throws Exception {
            FileChannel ch = FileChannel.open(dir.resolve("open"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            ch.write(ByteBuffer.allocate(BS), 0);
            Files.writeString(shared.resolve("from-a"), "a");
            synchronized (LEFT) {
                LEFT.add(ch);
            }
        }

        @Test
        void b_seesTheClassFileSystem() throws Exception {
            if (!Files.readString(shared.resolve("from-a")).equals("a")) {
                throw new AssertionError("the class directory lost a file between tests");
            }
            synchronized (LEFT) {
                LEFT.add(shared.getFileSystem().isOpen());
            }
        }
    }

    @Test
    void aTestsFileSystemClosesWithTheTestAndAClassOnesLivesForTheClass() {
        LEFT.clear();
        EngineExecutionResults r = Kit.run(Lifetimes.class, reports);
        Kit.assertCounts(r, 2, 0, 0);
        assertThat(LEFT).hasSize(2);
        assertThat(((FileChannel) LEFT.get(0)).isOpen()).as("closed with the test's filesystem").isFalse();
        assertThat(LEFT.get(1)).as("the class filesystem, open during the class's second test").isEqualTo(true);
    }

    /** What the buggy reader below saw, per run: the counts its short reads returned. */
    static final List<List<Integer>> SEEN = new ArrayList<>();

    @StaleguardTest
    @Tag("staleguard-kit")
    static class MediaDecisions {
        @Test
        void buggy(@Device(shortTransfers = 0.5, blockSize = 512, size = "4MiB") Path dir) throws Exception {
            Path f = dir.resolve("data");
            Files.write(f, new byte[64 * BS]);
            List<Integer> counts = new ArrayList<>();
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                for (int i = 0; i < 64; i++) {
                    counts.add(ch.read(ByteBuffer.allocate(BS), (long) i * BS));
                }
            }
            synchronized (SEEN) {
                SEEN.add(counts);
            }
        }
    }

    @Test
    void theReproduceLineReplaysTheSameMediaDecisions() {
        SEEN.clear();
        EngineExecutionResults first = Kit.run(MediaDecisions.class, reports);
        Kit.assertCounts(first, 0, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(first, "buggy");
        assertThat(e.counts()).containsKey(ViolationKind.SHORT_TRANSFER);
        Matcher m = Pattern.compile("-Dstaleguard\\.seed=(0x[0-9a-f]+)").matcher(e.getMessage());
        assertThat(m.find()).isTrue();
        String seed = m.group(1);

        EngineExecutionResults again = Kit.run(MediaDecisions.class, reports, "staleguard.seed", seed);
        Kit.assertCounts(again, 0, 1, 0);
        IoConsistencyError e2 = (IoConsistencyError) Kit.failure(again, "buggy");
        EngineExecutionResults other = Kit.run(MediaDecisions.class, reports, "staleguard.seed", "0x1234");
        Kit.assertCounts(other, 0, 1, 0);

        assertThat(SEEN).hasSize(3);
        assertThat(SEEN.get(0)).as("the same seed and options: the same short reads").isEqualTo(SEEN.get(1))
                .contains(BS).anyMatch(n -> n < BS);
        assertThat(SEEN.get(2)).as("another seed: other short reads").isNotEqualTo(SEEN.get(0));
        assertThat(e2.counts()).isEqualTo(e.counts());
        assertThat(e2.violations()).extracting(v -> v.offset()).isEqualTo(
                e.violations().stream().map(v -> v.offset()).toList());
    }
}
