package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.FileLocation;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.OperationInfo;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.sim.SimulatedDevice;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Interleaving hooks select file operations by path and file range ({@link OpMatcher#onFile}), so a race between a
 * file's writer and its reader is forced as on the raw device, and a gate on another file holds nothing of it.
 */
class FileHooksTest {

    private static final int BS = 4096;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ByteBuffer filled(int value, int blocks) {
        ByteBuffer b = ByteBuffer.allocateDirect((blocks + 1) * BS).alignedSlice(BS).limit(blocks * BS);
        while (b.hasRemaining()) {
            b.put((byte) value);
        }
        return b.flip();
    }

    /** The first byte of {@code block} of {@code file}, read with O_DIRECT. */
    private static int firstByte(FileChannel reader, int block) throws Exception {
        ByteBuffer b = filled(0, 1);
        assertThat(reader.read(b, (long) block * BS)).isEqualTo(BS);
        return b.get(0);
    }

    @Test
    void aGateOnAFileRangeHoldsTheWriterWhileTheReaderSeesTheOldBlockAndAGateOnAnotherFileHoldsNothing()
            throws Exception {
        try (SimulatedDevice device = SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(0xF11E).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path other = fs.getPath("/other.dat");
            Path data = fs.getPath("/data.dat");
            Files.write(other, new byte[4 * BS]);
            try (FileChannel w = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT)) {
                assertThat(w.write(filled(1, 4), 0)).isEqualTo(4 * BS);
            }
            // Same file range, other file: it must not take the write on /data.dat.
            Gate elsewhere = device.hooks().pause(OpMatcher.writes().onFile(other).overlapping(2 * BS, BS));
            Gate held = device.hooks().pause(OpMatcher.writes().onFile(data).overlapping(2 * BS, BS)
                    .atStage(Stage.DMA));
            try (FileChannel writer = FileChannel.open(data, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
                 FileChannel reader = FileChannel.open(data, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                // Block 0 is outside the gate's file range: it passes.
                assertThat(writer.write(filled(2, 1), 0)).isEqualTo(BS);
                assertThat(held.isPaused()).isFalse();
                CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> {
                    try {
                        return writer.write(filled(2, 1), 2L * BS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                OperationInfo op = held.awaitPaused(WAIT);
                assertThat(op.kind()).isEqualTo(OpKind.WRITE);
                assertThat(op.file()).isEqualTo(new FileLocation("/data.dat", 2L * BS));
                assertThat(op.toString()).contains("/data.dat at file offset 8192");
                // The race, forced: the reader reads block 2 while the write is before its DMA.
                assertThat(firstByte(reader, 2)).isEqualTo(1);
                assertThat(write).isNotDone();
                held.release();
                assertThat(write.get(10, TimeUnit.SECONDS)).isEqualTo(BS);
                assertThat(firstByte(reader, 2)).isEqualTo(2);
                assertThat(firstByte(reader, 0)).isEqualTo(2);
            }
            assertThat(elsewhere.isPaused()).as("a gate on /other.dat").isFalse();
            // The gate on the other file still works on its own file.
            try (FileChannel o = FileChannel.open(other, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> {
                    try {
                        return o.write(filled(3, 1), 2L * BS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(elsewhere.awaitPaused(WAIT).file()).isEqualTo(new FileLocation("/other.dat", 2L * BS));
                elsewhere.release();
                assertThat(write.get(10, TimeUnit.SECONDS)).isEqualTo(BS);
            }
            assertThat(device.finish().all()).isEmpty();
        }
    }

    @Test
    void aFileMatcherCountsInFileOffsetsAndNeedsTheFile() {
        OperationInfo onDevice = new OperationInfo(1, OpKind.READ, 8192, 4096, 4096,
                io.staleguard.device.IoMode.BUFFERED, false, "t", "c");
        OperationInfo inFile = new OperationInfo(1, OpKind.READ, 8192, 4096, 4096,
                io.staleguard.device.IoMode.BUFFERED, false, "t", "c", new FileLocation("/f", 0));
        OpMatcher m = OpMatcher.reads().onFile("/f").overlapping(0, 1);
        assertThat(m.matches(inFile, Stage.DMA)).isTrue();
        assertThat(m.matches(onDevice, Stage.DMA)).as("an operation in no file").isFalse();
        assertThat(OpMatcher.reads().onFile("/f").overlapping(4096, 1).matches(inFile, Stage.DMA)).isFalse();
        assertThat(OpMatcher.reads().onFile("/g").matches(inFile, Stage.DMA)).isFalse();
        assertThat(OpMatcher.reads().onFile("/f").matches(inFile, Stage.DMA)).isTrue();
        assertThat(OpMatcher.reads().overlapping(8192, 1).matches(inFile, Stage.DMA)).as("device offsets as before")
                .isTrue();
        assertThat(m.toString()).isEqualTo("reads on /f overlapping [0,+1) at DMA");
    }
}
