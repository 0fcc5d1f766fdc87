package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.kit.Kit;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * H5 through the extension (Filipe Manana, "[PATCH] iomap: fix incomplete async dio reads when using
 * IOMAP_DIO_PARTIAL", 2022-02-28): MariaDB's NOWAIT reads of a data file whose extents are one block each (its
 * appends alternate with the redo log's), on {@code @Device(kernel = "IOMAP_DIO_PARTIAL_2022") Path dir}. A reader
 * that takes each read's count as the whole 16 KiB is a {@code SHORT_TRANSFER} at the first byte it did not get;
 * one that continues at {@code position + count} passes.
 */
class PartialDirectReadOnSimulatedPathTest {

    static final int BS = 4096;
    static final int BLOCKS = 8;

    @TempDir
    Path reports;

    static void readPages(Path dir, boolean continueShortReads) throws Exception {
        Path data = dir.resolve("ibdata1");
        ByteBuffer block = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS).limit(BS);
        try (FileChannel d = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT);
             FileChannel redo = FileChannel.open(dir.resolve("ib_logfile0"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            for (int b = 0; b < BLOCKS; b++) {
                block.clear();
                block.putLong(0, b + 1);
                while (block.hasRemaining()) {
                    d.write(block, (long) b * BS + block.position());
                }
                block.clear();
                while (block.hasRemaining()) {
                    redo.write(block, (long) b * BS + block.position());
                }
            }
        }
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(data, StandardOpenOption.READ,
                ExtendedOpenOption.DIRECT)) {
            for (long at = 0; at < (long) BLOCKS * BS; at += 4 * BS) {
                ByteBuffer page = ByteBuffer.allocateDirect(5 * BS).alignedSlice(BS).limit(4 * BS);
                ch.read(page, at).get(10, TimeUnit.SECONDS);
                while (continueShortReads && page.hasRemaining()) {
                    ch.read(page, at + page.position()).get(10, TimeUnit.SECONDS);
                }
                if (continueShortReads && page.getLong(3 * BS) != at / BS + 4) {
                    throw new AssertionError("block " + (at / BS + 3) + " not read");
                }
            }
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class MariaDbReads {
        @Test
        void buggy(@Device(kernel = "IOMAP_DIO_PARTIAL_2022") Path dir) throws Exception {
            readPages(dir, false);
        }

        @Test
        void correct(@Device(kernel = "IOMAP_DIO_PARTIAL_2022") Path dir) throws Exception {
            readPages(dir, true);
        }
    }

    @Test
    void aNowaitFileReadTakenAsCompleteIsAShortTransferInTheFileAndItsTwinPasses() {
        EngineExecutionResults r = Kit.run(MariaDbReads.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.counts()).as(e.getMessage()).containsOnlyKeys(ViolationKind.SHORT_TRANSFER);
        assertThat(e.violations()).as(e.getMessage()).hasSize(2).allSatisfy(v -> {
            assertThat(v.location()).isNotNull();
            assertThat(v.location().path()).endsWith("/ibdata1");
        });
        assertThat(e.violations()).extracting(v -> v.location().offset()).containsExactly((long) BS, 5L * BS);
        assertThat(e.getMessage()).contains("reproduce with");
    }
}
