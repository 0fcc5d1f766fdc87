package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.FileLocation;
import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.internal.FsPath;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A violation on a file's blocks names the file and the offset in the file, in {@link Violation#location()}, in its
 * detail and in its summary, next to the device offset and LBA; a violation on the raw device stays as it was.
 */
class FileLocatedViolationsTest {

    private static final int BS = 4096;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static long deviceOffset(Path p, long fileOffset) throws IOException {
        FsPath f = (FsPath) p;
        return f.volume().lookup(f).extents().deviceBlock(fileOffset / BS) * BS + fileOffset % BS;
    }

    private static ByteBuffer filled(int value) {
        ByteBuffer b = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS).limit(BS);
        while (b.hasRemaining()) {
            b.put((byte) value);
        }
        return b.flip();
    }

    private static void refill(ByteBuffer b, int value) {
        b.clear().limit(BS);
        while (b.hasRemaining()) {
            b.put((byte) value);
        }
    }

    @Test
    void aGuardTagThroughAFileNamesTheFileAndTheFileOffset() throws Exception {
        try (SimulatedDevice device = SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(0x10C).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Files.write(fs.getPath("/other"), new byte[3 * BS]); // so that file offsets are not device offsets
            Path log = Files.createDirectories(fs.getPath("/db")).resolve("wal.log");
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(log, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE, ExtendedOpenOption.DIRECT)) {
                ch.write(filled(0), 0).get(10, TimeUnit.SECONDS);
                ch.write(filled(9), BS).get(10, TimeUnit.SECONDS);
                long at = deviceOffset(log, BS);
                assertThat(at).isNotEqualTo(BS);
                ByteBuffer buffer = filled(1);
                Gate dma = device.hooks().pause(OpMatcher.writes().overlapping(at, BS).atStage(Stage.DMA));
                Future<Integer> entry = ch.write(buffer, BS);
                dma.awaitPaused(WAIT);
                refill(buffer, 2); // reused before the device took it
                dma.release();
                assertThat(entry.get(10, TimeUnit.SECONDS)).isEqualTo(BS);
            }
            List<Violation> vs = device.finish().all();
            assertThat(vs).extracting(Violation::kind).containsExactly(ViolationKind.GUARD_TAG);
            Violation v = vs.get(0);
            assertThat(v.offset()).as("the device offset stays").isEqualTo(deviceOffset(log, BS));
            assertThat(v.lba()).isEqualTo(deviceOffset(log, BS) / BS);
            assertThat(v.location()).isEqualTo(new FileLocation("/db/wal.log", BS));
            assertThat(v.detail()).endsWith(" [in /db/wal.log at file offset 4096]");
            assertThat(v.summary()).contains("/db/wal.log at file offset 4096");
        }
    }

    @Test
    void aShortTransferThroughAFileNamesTheFileAndTheOffsetOfTheFirstMissingByte() throws Exception {
        try (SimulatedDevice device = SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(0x5D)
                .shortTransferProbability(1.0).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Files.write(fs.getPath("/other"), new byte[5 * BS]);
            Path segment = fs.getPath("/segment");
            byte[] data = new byte[16 * BS];
            new Random(6).nextBytes(data);
            Files.write(segment, data);
            long fileOffset = 5L * BS;
            int n;
            try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
                n = ch.read(ByteBuffer.allocate(8 * BS), fileOffset);
                assertThat(n).isPositive().isLessThan(8 * BS);
            } // taken as complete: flagged when the channel closes
            List<Violation> vs = device.finish().ofKind(ViolationKind.SHORT_TRANSFER);
            assertThat(vs).hasSize(1);
            Violation v = vs.get(0);
            assertThat(v.offset()).isEqualTo(deviceOffset(segment, fileOffset + n));
            assertThat(v.location()).isEqualTo(new FileLocation("/segment", fileOffset + n));
            assertThat(v.detail()).endsWith(" [in /segment at file offset " + (fileOffset + n) + "]");
        }
    }

    @Test
    void aFileRenamedOrDeletedWhileOpenIsNamedAsItIsWhenTheViolationIsRecorded() throws Exception {
        try (SimulatedDevice device = SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(0xDE1)
                .shortTransferProbability(1.0).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path a = fs.getPath("/a");
            Files.write(a, new byte[8 * BS]);
            Path b = Files.move(a, Files.createDirectory(fs.getPath("/d")).resolve("b"));
            try (FileChannel ch = FileChannel.open(b, StandardOpenOption.READ)) {
                Files.delete(b);
                int n = ch.read(ByteBuffer.allocate(4 * BS), 0);
                assertThat(n).isLessThan(4 * BS);
            }
            assertThat(device.finish().ofKind(ViolationKind.SHORT_TRANSFER)).singleElement()
                    .satisfies(v -> assertThat(v.location().path()).isEqualTo("/d/b (deleted)"));
        }
    }

    @Test
    void aViolationOnTheRawDeviceHasNoFileLocationAndItsDetailIsAsBefore() throws Exception {
        try (SimulatedDevice device = SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(0x10C).build()) {
            ByteBuffer buffer = filled(1);
            Gate dma = device.hooks().pause(OpMatcher.writes().overlapping(BS, BS).atStage(Stage.DMA));
            CompletableFuture<Integer> w = device.writeAsync(buffer, BS, IoMode.DIRECT);
            dma.awaitPaused(WAIT);
            assertThat(dma.paused().file()).isNull();
            refill(buffer, 2);
            dma.release();
            assertThat(w.get(10, TimeUnit.SECONDS)).isEqualTo(BS);
            Violation v = device.finish().all().get(0);
            assertThat(v.kind()).isEqualTo(ViolationKind.GUARD_TAG);
            assertThat(v.location()).isNull();
            assertThat(v.detail()).doesNotContain("[in ").doesNotContain("file offset");
            assertThat(v.summary()).startsWith("guard-tag at offset 4096 (lba 1, 4096 bytes): expected ");
            assertThat(v).isEqualTo(new Violation(v.kind(), v.offset(), v.length(), v.lba(), v.expected(), v.actual(),
                    v.firstDiffOffset(), v.thread(), v.submitStack(), v.detail(), v.timeline()));
        }
    }

    @Test
    void aRawDeviceWriteOutsideEveryFileOfAFilesystemHasNoFileLocation() throws Exception {
        try (SimulatedDevice device = SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(0x10D).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Files.write(fs.getPath("/only"), new byte[BS]);
            long far = 1000L * BS;
            ByteBuffer buffer = filled(1);
            Gate dma = device.hooks().pause(OpMatcher.writes().overlapping(far, BS).atStage(Stage.DMA));
            CompletableFuture<Integer> w = device.writeAsync(buffer, far, IoMode.DIRECT);
            dma.awaitPaused(WAIT);
            refill(buffer, 2);
            dma.release();
            w.get(10, TimeUnit.SECONDS);
            assertThat(device.finish().all()).singleElement().satisfies(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.GUARD_TAG);
                assertThat(v.location()).isNull();
            });
        }
    }
}
