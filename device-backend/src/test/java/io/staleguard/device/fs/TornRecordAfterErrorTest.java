package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.FileLocation;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write that made progress and then failed, on the simulated filesystem with the device's fault injector (plan
 * §5.1 #2 and #3): a program that moves on as if the write never happened leaves a torn record in the file, a
 * {@code SHORT_TRANSFER} naming the error at the file and offset where the record's missing bytes begin; its twin
 * that stops, or truncates the torn record away, is clean. On the plain device and under {@code MODERN}'s page
 * cache.
 */
@Timeout(60)
class TornRecordAfterErrorTest {

    private static final int BS = 4096;
    /** Printed by every verdict assertion: the device seed and the line that replays the test. */
    private static final String REPRODUCE =
            "seed 0x7041; reproduce with: mvn test -pl device-backend -Dtest=TornRecordAfterErrorTest";
    private static final int RECORD = 1000;

    private static SimulatedDevice device(String path) {
        SimulatedDevice.Builder b = SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(0x7041);
        return path.equals("kernel") ? b.ioPath(KernelIoPath.of(KernelPreset.MODERN)).build() : b.build();
    }

    private static ByteBuffer filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return ByteBuffer.wrap(b);
    }

    /**
     * Appends 1000-byte records with relative writes and indexes each at its own count of bytes written. The
     * buggy writer takes a failed append as never written and appends on; the twin poisons itself on any error.
     */
    static final class IndexedRecordWriter implements AutoCloseable {
        private final FileChannel channel;
        private final boolean poisonOnError;
        private long end;
        private boolean failed;

        IndexedRecordWriter(Path file, boolean poisonOnError) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            this.poisonOnError = poisonOnError;
        }

        /** The record's index (its offset, as the writer believes), or -1 if its write failed. */
        long append(ByteBuffer record) {
            if (failed) {
                throw new IllegalStateException("writer failed");
            }
            try {
                while (record.hasRemaining()) {
                    channel.write(record);
                }
            } catch (IOException e) {
                failed = poisonOnError;
                return -1;
            }
            long at = end;
            end += RECORD;
            return at;
        }

        byte[] read(long index) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(RECORD);
            while (b.hasRemaining() && channel.read(b, index + b.position()) > 0) {
                // positional, continued
            }
            return b.array();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "kernel"})
    void aWriterThatKeepsItsOffsetAfterAPartialWriteLeavesATornRecordAndIsCaught(String path) throws Exception {
        try (SimulatedDevice device = device(path); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Files.write(fs.getPath("/other"), new byte[3 * BS]);
            Path log = Files.createDirectories(fs.getPath("/test")).resolve("records.log");
            device.faults().failWriteAfter(OpMatcher.writes().onFile(log), 300);
            try (IndexedRecordWriter w = new IndexedRecordWriter(log, false)) {
                assertThat(w.append(filled(RECORD, 1))).isEqualTo(-1);
                long second = w.append(filled(RECORD, 2));
                assertThat(second).as("the writer indexes record 2 at 0").isZero();
                assertThat(w.read(second)).as("the program's corruption: index 0 holds record 1's torn head")
                        .isNotEqualTo(filled(RECORD, 2).array());
            }
            List<Violation> vs = device.finish().all();
            assertThat(vs).as(REPRODUCE).extracting(Violation::kind).containsExactly(ViolationKind.SHORT_TRANSFER);
            Violation v = vs.get(0);
            assertThat(v.location()).isEqualTo(new FileLocation("/test/records.log", 300));
            assertThat(v.length()).isEqualTo(700);
            assertThat(v.detail()).contains("failed with IOException: Input/output error (injected partial-write",
                    "the caller wrote on at", "the record is torn on the media");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "kernel"})
    void aWriterPoisonedByItsFirstErrorIsCleanThoughTheFileHoldsTheTornRecord(String path) throws Exception {
        try (SimulatedDevice device = device(path); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path log = Files.createDirectories(fs.getPath("/test")).resolve("records.log");
            device.faults().failWriteAfter(OpMatcher.writes().onFile(log), 300);
            try (IndexedRecordWriter w = new IndexedRecordWriter(log, true)) {
                assertThat(w.append(filled(RECORD, 1))).isEqualTo(-1);
                assertThatThrownBy(() -> w.append(filled(RECORD, 2))).isInstanceOf(IllegalStateException.class)
                        .hasMessage("writer failed");
            }
            assertThat(Files.size(log)).isEqualTo(300);
            assertThat(device.finish().all()).as(REPRODUCE).isEmpty();
        }
    }

    /**
     * Appends batches of 8 blocks with relative writes and indexes each at the end it counted before the batch. On
     * an error the buggy appender takes the batch as not written, though its first blocks landed and the channel's
     * position is past them; the twin truncates the file back to its end first.
     */
    static final class BatchAppender implements AutoCloseable {
        private final FileChannel channel;
        private final boolean truncateOnError;
        private long end;

        BatchAppender(Path file, boolean truncateOnError) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            this.truncateOnError = truncateOnError;
        }

        /** The batch's index, or -1 if it failed. */
        long append(int value) throws IOException {
            try {
                for (int i = 0; i < 8; i++) {
                    ByteBuffer block = filled(BS, value);
                    while (block.hasRemaining()) {
                        channel.write(block);
                    }
                }
            } catch (IOException e) {
                if (truncateOnError) {
                    channel.truncate(end);
                }
                return -1;
            }
            long at = end;
            end += 8 * BS;
            return at;
        }

        long end() {
            return end;
        }

        long size() throws IOException {
            return channel.size();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "kernel"})
    void aFailedBatchTakenAsNotWrittenThoughPartLandedIsCaught(String path) throws Exception {
        try (SimulatedDevice device = device(path); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path log = Files.createDirectories(fs.getPath("/test")).resolve("batches.log");
            try (BatchAppender a = new BatchAppender(log, false)) {
                device.faults().noSpaceAfter(3 * BS + 100);
                assertThat(a.append(1)).isEqualTo(-1);
                assertThat(a.size()).as("part of the failed batch landed").isGreaterThan(a.end());
                device.faults().clear();
                assertThat(a.append(2)).isZero();
            }
            List<Violation> vs = device.finish().all();
            assertThat(vs).as(REPRODUCE).extracting(Violation::kind).containsExactly(ViolationKind.SHORT_TRANSFER);
            Violation v = vs.get(0);
            assertThat(v.location()).isEqualTo(new FileLocation("/test/batches.log", 3 * BS + 100));
            assertThat(v.detail()).contains("failed with IOException: No space left on device");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "kernel"})
    void aBatchAppenderThatTruncatesAFailedBatchAwayIsClean(String path) throws Exception {
        try (SimulatedDevice device = device(path); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path log = Files.createDirectories(fs.getPath("/test")).resolve("batches.log");
            try (BatchAppender a = new BatchAppender(log, true)) {
                assertThat(a.append(7)).isZero();
                device.faults().noSpaceAfter(3 * BS + 100);
                assertThat(a.append(1)).isEqualTo(-1);
                assertThat(a.size()).isEqualTo(a.end());
                device.faults().clear();
                assertThat(a.append(2)).isEqualTo(8 * BS);
                assertThat(a.size()).isEqualTo(a.end());
            }
            assertThat(device.finish().all()).as(REPRODUCE).isEmpty();
        }
    }
}
