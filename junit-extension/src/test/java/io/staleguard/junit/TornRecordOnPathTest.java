package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.kit.Kit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that made progress and then failed, through the extension: a record log on a simulated {@code Path}
 * whose first append moves 300 of its 1000 bytes, then its continuation fails with EIO
 * ({@code SimulatedDevice.faults().failWriteAfter}). The buggy log keeps its own offset and appends on, so the file
 * holds a torn record and every later record is indexed at the wrong place: the test fails with a
 * {@code SHORT_TRANSFER} naming the error, in {@code records.log} at file offset 300. The twin poisons itself on
 * any error and passes, though the file holds the same torn record.
 */
class TornRecordOnPathTest {

    static final int RECORD = 1000;

    @TempDir
    Path reports;

    /** Appends two records; returns how many the log believes it wrote. */
    static int appendTwo(Path dir, SimulatedDevice device, boolean poisonOnError) throws IOException {
        Path log = dir.resolve("records.log");
        device.faults().failWriteAfter(OpMatcher.writes().onFile(log), 300);
        int written = 0;
        boolean failed = false;
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int r = 0; r < 2 && !failed; r++) {
                byte[] record = new byte[RECORD];
                Arrays.fill(record, (byte) (r + 1));
                ByteBuffer b = ByteBuffer.wrap(record);
                try {
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    written++;
                } catch (IOException e) {
                    failed = poisonOnError;
                }
            }
        }
        return written;
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class OnSimulated {
        @Test
        void buggy(@Device(name = "db", shortTransfers = 0) Path dir,
                   @Device(name = "db", shortTransfers = 0) SimulatedDevice device) throws Exception {
            assertThat(appendTwo(dir, device, false)).isEqualTo(1);
        }

        @Test
        void correct(@Device(name = "db", shortTransfers = 0) Path dir,
                     @Device(name = "db", shortTransfers = 0) SimulatedDevice device) throws Exception {
            assertThat(appendTwo(dir, device, true)).isZero();
        }
    }

    @Test
    void theLogThatWritesOnAfterAPartialWriteFailsWithTheErrorNamedAndItsPoisonedTwinPasses() {
        var r = Kit.run(OnSimulated.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.counts()).as(e.getMessage()).containsOnlyKeys(ViolationKind.SHORT_TRANSFER);
        Violation v = e.violations().get(0);
        assertThat(v.location()).as(e.getMessage()).isNotNull();
        assertThat(v.location().path()).endsWith("/records.log");
        assertThat(v.location().offset()).isEqualTo(300);
        assertThat(v.detail()).contains("failed with IOException: Input/output error (injected partial-write",
                "the caller wrote on at");
        assertThat(e.getMessage()).contains("short-transfer", "reproduce with");
    }
}
