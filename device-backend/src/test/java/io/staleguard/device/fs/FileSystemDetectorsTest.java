package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.nio.file.ExtendedOpenOption;
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
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The device's detectors judge file I/O: each bug class is caught through a file, and its correct twin is clean.
 * Violations name the device offset and LBA; the caller's name carries the file's path.
 */
class FileSystemDetectorsTest {

    private static final int BS = 4096;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private SimulatedDevice device;
    private SimulatedFileSystem fs;

    @AfterEach
    void close() throws IOException {
        fs.close();
        device.close();
    }

    private void open(SimulatedDevice.Builder b) {
        device = b.capacity(8 << 20).blockSize(BS).seed(0xD37).captureStacks(true).build();
        fs = SimulatedFileSystem.on(device);
    }

    private long deviceOffset(Path p, long fileOffset) throws IOException {
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

    /**
     * Writes block 1 of a log file asynchronously while a gate holds its DMA; the buggy writer refills the buffer
     * with the next entry before the write landed, the correct one waits for the completion first.
     */
    private List<Violation> appendWhileInFlight(boolean correct) throws Exception {
        open(SimulatedDevice.builder());
        Files.write(fs.getPath("/other"), new byte[3 * BS]); // so that the log's blocks are not the device's first
        Path log = fs.getPath("/wal.log");
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(log, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, ExtendedOpenOption.DIRECT)) {
            ch.write(filled(0), 0).get(10, TimeUnit.SECONDS);
            ByteBuffer buffer = filled(1);
            // Block 1 of the file is not allocated yet: allocate it first, so the gate can name its device offset.
            ch.write(filled(9), BS).get(10, TimeUnit.SECONDS);
            long at = deviceOffset(log, BS);
            assertThat(at).isGreaterThanOrEqualTo(3L * BS);
            Gate dma = device.hooks().pause(OpMatcher.writes().overlapping(at, BS).atStage(Stage.DMA));
            Future<Integer> entry = ch.write(buffer, BS);
            dma.awaitPaused(WAIT);
            if (correct) {
                dma.release();
                assertThat(entry.get(10, TimeUnit.SECONDS)).isEqualTo(BS);
                buffer.clear().limit(BS);
                while (buffer.hasRemaining()) {
                    buffer.put((byte) 2);
                }
            } else {
                buffer.clear().limit(BS);
                while (buffer.hasRemaining()) {
                    buffer.put((byte) 2); // the next entry, written into a buffer the device has not taken yet
                }
                dma.release();
                assertThat(entry.get(10, TimeUnit.SECONDS)).isEqualTo(BS);
            }
            List<Violation> vs = device.finish().all();
            if (!correct) {
                assertThat(vs).isNotEmpty();
                assertThat(vs.get(0).lba()).isEqualTo(at / BS);
                assertThat(vs.get(0).offset()).isEqualTo(at);
            }
            return vs;
        }
    }

    @Test
    void aBufferReusedBeforeItsAsyncFileWriteLandedIsAGuardTagAtTheBlockUnderTheFileOffset() throws Exception {
        assertThat(appendWhileInFlight(false)).extracting(Violation::kind).containsExactly(ViolationKind.GUARD_TAG);
    }

    @Test
    void aBufferReusedAfterItsAsyncFileWriteCompletedIsClean() throws Exception {
        assertThat(appendWhileInFlight(true)).isEmpty();
    }

    /**
     * The same bug without a gate: the device takes a write's data 200 ms after submission (wide, so a loaded machine cannot close the window), and the buggy writer
     * refills its buffer at once.
     */
    private List<Violation> appendWithDmaDelay(boolean correct) throws Exception {
        open(SimulatedDevice.builder().dmaDelay(Duration.ofMillis(200), Duration.ofMillis(200)));
        Path log = fs.getPath("/journal");
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(log, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE)) {
            ByteBuffer buffer = filled(1);
            Future<Integer> entry = ch.write(buffer, 0);
            if (correct) {
                assertThat(entry.get(10, TimeUnit.SECONDS)).isEqualTo(BS);
            }
            buffer.clear().limit(BS);
            while (buffer.hasRemaining()) {
                buffer.put((byte) 2);
            }
            assertThat(entry.get(10, TimeUnit.SECONDS)).isEqualTo(BS);
            List<Violation> vs = device.finish().all();
            if (!correct) {
                assertThat(vs).isNotEmpty();
                assertThat(vs.get(0).lba()).isEqualTo(deviceOffset(log, 0) / BS);
            }
            return vs;
        }
    }

    @Test
    void aBufferRefilledDuringTheDmaDelayOfAnAsyncFileWriteIsAGuardTag() throws Exception {
        assertThat(appendWithDmaDelay(false)).extracting(Violation::kind).containsExactly(ViolationKind.GUARD_TAG);
    }

    @Test
    void aBufferRefilledAfterTheAsyncFileWriteCompletedIsClean() throws Exception {
        assertThat(appendWithDmaDelay(true)).isEmpty();
    }

    /** Reads a file of 16 blocks with one positional read, or with reads until the buffer is full. */
    private List<Violation> readWhole(boolean correct) throws IOException {
        open(SimulatedDevice.builder().shortTransferProbability(1.0));
        Path f = fs.getPath("/segment");
        byte[] data = new byte[16 * BS];
        new Random(6).nextBytes(data);
        Files.write(f, data);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(data.length);
            int n = ch.read(b, 0);
            assertThat(n).isLessThan(data.length);
            if (correct) {
                while (b.hasRemaining()) {
                    ch.read(b, b.position());
                }
            }
        }
        assertThat(device.violations().count(ViolationKind.SHORT_TRANSFER)).as("flagged when the channel closed")
                .isEqualTo(correct ? 0 : 1);
        return device.finish().all();
    }

    @Test
    void aShortReadTakenAsCompleteThroughAFileChannelIsAShortTransfer() throws IOException {
        List<Violation> vs = readWhole(false);
        assertThat(vs).extracting(Violation::kind).containsExactly(ViolationKind.SHORT_TRANSFER);
        assertThat(vs.get(0).detail()).contains("/segment");
    }

    @Test
    void aShortReadContinuedThroughAFileChannelIsClean() throws IOException {
        assertThat(readWhole(true)).isEmpty();
    }

    /**
     * A sender that copies a file with relative reads, one {@code read(buf)} per chunk: the buggy one takes the first
     * short chunk as the last and closes (or forces) the file; the correct one keeps reading until end of file.
     */
    private List<Violation> sendRelative(boolean correct, boolean forceInsteadOfClose) throws IOException {
        open(SimulatedDevice.builder().shortTransferProbability(1.0));
        Path f = fs.getPath("/outbox/chunk");
        Files.createDirectories(f.getParent());
        byte[] data = new byte[16 * BS];
        new Random(7).nextBytes(data);
        Files.write(f, data);
        long sent = 0;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocate(4 * BS);
            while (true) {
                chunk.clear();
                int n = ch.read(chunk);
                if (n < 0) {
                    break;
                }
                sent += n;
                if (!correct && chunk.hasRemaining()) {
                    break; // the bug: a short chunk taken as the last one
                }
            }
            if (forceInsteadOfClose) {
                ch.force(true);
                assertThat(device.violations().count(ViolationKind.SHORT_TRANSFER)).as("flagged at force")
                        .isEqualTo(correct ? 0 : 1);
            }
        }
        assertThat(sent).isEqualTo(correct ? data.length : sent);
        if (!correct) {
            assertThat(sent).isLessThan(data.length);
        }
        assertThat(device.violations().count(ViolationKind.SHORT_TRANSFER)).as("flagged at close")
                .isEqualTo(correct ? 0 : 1);
        return device.finish().all();
    }

    @Test
    void aShortRelativeReadTakenAsTheLastChunkBeforeCloseIsAShortTransferOnThatFile() throws IOException {
        List<Violation> vs = sendRelative(false, false);
        assertThat(vs).extracting(Violation::kind).containsExactly(ViolationKind.SHORT_TRANSFER);
        assertThat(vs.get(0).location()).isNotNull();
        assertThat(vs.get(0).location().path()).isEqualTo("/outbox/chunk");
    }

    @Test
    void aShortRelativeReadTakenAsTheLastChunkBeforeForceIsAShortTransfer() throws IOException {
        assertThat(sendRelative(false, true)).extracting(Violation::kind).containsExactly(ViolationKind.SHORT_TRANSFER);
    }

    @Test
    void aRelativeCopyThatKeepsReadingToTheEndIsClean() throws IOException {
        assertThat(sendRelative(true, false)).isEmpty();
        assertThat(device.violations().count(ViolationKind.SHORT_TRANSFER)).isZero();
    }
}
