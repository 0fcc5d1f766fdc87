package io.staleguard.device.fs.hazards;

import static io.staleguard.device.fs.hazards.FileHazardRig.BS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.internal.FsPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * H5 at file level (Filipe Manana, "[PATCH] iomap: fix incomplete async dio reads when using IOMAP_DIO_PARTIAL",
 * 2022-02-28, commit 51bd9563): MariaDB's NOWAIT reads of a file made of several extents, through an
 * {@link AsynchronousFileChannel} opened with {@link ExtendedOpenOption#DIRECT}. On a filesystem the extents are
 * the file's own: a file whose appends were interleaved with another file's has single-block extents.
 */
class PartialDirectReadOnFileTest {

    private static final long SEED = 0x4A5L;
    /** Blocks of the data file, and of each read. */
    private static final int BLOCKS = 16;
    private static final int READ = 4 * BS;

    /** Appends the data file and another file block by block, alternately: the data file's extents are one block. */
    private static Path fragmented(FileHazardRig rig) throws Exception {
        Path dir = Files.createDirectory(rig.fs.getPath("/db"));
        Path data = dir.resolve("ibdata1");
        try (FileChannel d = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT);
             FileChannel o = FileChannel.open(dir.resolve("ib_logfile0"), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            for (int b = 0; b < BLOCKS; b++) {
                d.write(rig.slot(BS, b), (long) b * BS);
                o.write(rig.slot(BS, 1000 + b), (long) b * BS);
            }
            d.force(true);
        }
        assertThat(((FsPath) data).volume().lookup((FsPath) data).extents().size()).as("single-block extents")
                .isEqualTo(BLOCKS);
        return data;
    }

    /** Reads the file in 16 KiB requests, each into a fresh direct buffer: the counts the reader got. */
    private static List<Integer> readAll(FileHazardRig rig, Path data, boolean continueShortReads) throws Exception {
        List<Integer> counts = new ArrayList<>();
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(data, StandardOpenOption.READ,
                ExtendedOpenOption.DIRECT)) {
            for (long at = 0; at < (long) BLOCKS * BS; at += READ) {
                ByteBuffer b = ByteBuffer.allocateDirect(READ + BS).alignedSlice(BS).limit(READ);
                int n = ch.read(b, at).get(10, TimeUnit.SECONDS);
                counts.add(n);
                while (continueShortReads && b.hasRemaining()) {
                    n = ch.read(b, at + b.position()).get(10, TimeUnit.SECONDS);
                    assertThat(n).as(rig.context()).isPositive();
                }
                if (continueShortReads) {
                    for (int i = 0; i < READ / BS; i++) {
                        ByteBuffer want = rig.slot(BS, at / BS + i);
                        assertThat(b.duplicate().position(i * BS).limit((i + 1) * BS)).as(rig.context())
                                .isEqualTo(want);
                    }
                }
            }
        }
        return counts;
    }

    @Test
    void aNowaitReadOfSeveralFileExtentsReturnsTheFirstOnlyAndACallerTakingItAsCompleteIsAShortTransfer()
            throws Exception {
        try (FileHazardRig rig = FileHazardRig.open("PartialDirectReadOnFileTest#aNowaitReadOfSeveralFileExtents"
                + "ReturnsTheFirstOnlyAndACallerTakingItAsCompleteIsAShortTransfer", SEED,
                KernelPreset.IOMAP_DIO_PARTIAL_2022)) {
            Path data = fragmented(rig);
            assertThat(readAll(rig, data, false)).as(rig.context()).containsOnly(BS);
            List<Violation> found = rig.device.finish().all();
            assertThat(found).as(rig.context(found)).hasSize(BLOCKS * BS / READ).allSatisfy(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.SHORT_TRANSFER);
                assertThat(v.location()).as("the file and the first byte the reader did not get").isNotNull();
                assertThat(v.location().path()).isEqualTo("/db/ibdata1");
                assertThat(v.location().offset() % READ).isEqualTo(BS);
                assertThat(v.offset()).isEqualTo(rig.deviceOffset(data, v.location().offset()));
            });
            assertThat(found).extracting(v -> v.location().offset())
                    .containsExactly((long) BS, (long) READ + BS, 2L * READ + BS, 3L * READ + BS);
        }
    }

    @Test
    void aCallerThatContinuesAtOffsetPlusCountIsClean() throws Exception {
        try (FileHazardRig rig = FileHazardRig.open("PartialDirectReadOnFileTest#aCallerThatContinuesAtOffsetPlusCount"
                + "IsClean", SEED, KernelPreset.IOMAP_DIO_PARTIAL_2022)) {
            Path data = fragmented(rig);
            assertThat(readAll(rig, data, true)).as(rig.context()).containsOnly(BS);
            List<Violation> found = rig.device.finish().all();
            assertThat(found).as(rig.context(found)).isEmpty();
        }
    }

    @Test
    void underTheFixEveryNowaitReadOfTheFileIsWhole() throws Exception {
        try (FileHazardRig rig = FileHazardRig.open("PartialDirectReadOnFileTest#underTheFixEveryNowaitReadOfTheFile"
                + "IsWhole", SEED, KernelPreset.MODERN)) {
            Path data = fragmented(rig);
            assertThat(readAll(rig, data, false)).as(rig.context()).containsOnly(READ);
            List<Violation> found = rig.device.finish().all();
            assertThat(found).as(rig.context(found)).isEmpty();
        }
    }

    /**
     * The same reads of a file appended block by block with nothing in between: its blocks are contiguous, so it
     * is one extent (the filesystem merges them, as ext4 does), and a NOWAIT read of it is one mapping larger than
     * the faulted page: btrfs faults the buffer in and retries, and the read is whole. On the raw device the same
     * four writes would be four extents (the device-level model), so this proves that the file's extents decide.
     */
    @Test
    void aFileOfOneExtentIsReadWholeEvenUnderTheBug() throws Exception {
        try (FileHazardRig rig = FileHazardRig.open("PartialDirectReadOnFileTest#aFileOfOneExtentIsReadWholeEven"
                + "UnderTheBug", SEED, KernelPreset.IOMAP_DIO_PARTIAL_2022)) {
            Path data = rig.fs.getPath("/ibdata1");
            try (FileChannel d = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT)) {
                for (int b = 0; b < BLOCKS; b++) {
                    d.write(rig.slot(BS, b), (long) b * BS);
                }
            }
            assertThat(((FsPath) data).volume().lookup((FsPath) data).extents().size()).isEqualTo(1);
            assertThat(readAll(rig, data, false)).as(rig.context()).containsOnly(READ);
            List<Violation> found = rig.device.finish().all();
            assertThat(found).as(rig.context(found)).isEmpty();
        }
    }
}
