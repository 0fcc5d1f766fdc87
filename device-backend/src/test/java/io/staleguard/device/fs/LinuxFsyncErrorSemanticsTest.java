package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.channels.DeviceChannels;
import io.staleguard.device.sim.FaultKind;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code failFsync} with the semantics Linux has had since v4.13 ({@code errseq_t}): the failed writeback marks the
 * pages clean and keeps them cached, the error is reported once to each file open when it happened, a file opened
 * after everyone saw it never hears of it, and a retried fsync succeeds though the data never reached the media.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinuxFsyncErrorSemanticsTest {

    private static final int BS = 4096;

    private static SimulatedDevice device(KernelPreset preset) {
        return SimulatedDevice.builder().capacity(8L << 20).blockSize(BS).seed(13)
                .ioPath(KernelIoPath.of(preset)).build();
    }

    /**
     * A device whose own cache's flusher waits an hour: the device's cache is written back at every flusher pass,
     * so a raw-device page must stay dirty until the failing force for the test to be deterministic.
     */
    static SimulatedDevice quietFlusher(KernelPreset preset) {
        return SimulatedDevice.builder().capacity(8L << 20).blockSize(BS).seed(13)
                .ioPath(new KernelIoPath(preset.config(), KernelIoPath.DEFAULT_MAX_PAGES,
                        KernelIoPath.DEFAULT_WRITEBACK_DMA_NANOS, 3_600_000_000_000L)).build();
    }

    private static ByteBuffer block(int fill) {
        byte[] b = new byte[BS];
        Arrays.fill(b, (byte) fill);
        return ByteBuffer.wrap(b);
    }

    private static byte[] read(FileChannel ch, long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BS);
        while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
            // read the whole block
        }
        return b.array();
    }

    /** Where on the device the block holding {@code fill} bytes is, or -1. */
    private static long mediaOffsetOf(SimulatedDevice dev, int fill) {
        ByteBuffer raw = ByteBuffer.allocate(BS);
        for (long off = 0; off < dev.capacity(); off += BS) {
            raw.clear();
            dev.readRaw(off, raw);
            if (Arrays.equals(raw.array(), block(fill).array())) {
                return off;
            }
        }
        return -1;
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    void theErrorIsReportedOncePerOpenFileAndTheRetrySucceedsOverLostData(KernelPreset preset) throws Exception {
        try (SimulatedDevice dev = device(preset); SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            Path file = Files.createDirectories(fs.getPath("/db")).resolve("data.bin");
            FileChannel a = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            a.write(block(1), 0);
            a.force(true);
            FileChannel b = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileChannel d = FileChannel.open(file, StandardOpenOption.READ);

            dev.faults().failFsync(1);
            a.write(block(2), 0);
            assertThatThrownBy(() -> a.force(true)).isInstanceOf(IOException.class).hasMessage("Input/output error");
            a.force(true);
            assertThatThrownBy(() -> b.force(false)).isInstanceOf(IOException.class)
                    .hasMessage("Input/output error");
            b.force(false);
            FileChannel c = FileChannel.open(file, StandardOpenOption.READ);
            c.force(true);
            assertThatThrownBy(() -> d.force(true)).as("a file open before the error, never used")
                    .isInstanceOf(IOException.class).hasMessage("Input/output error");
            d.force(true);
            c.force(true);

            // The pages stayed cached: reads see the bytes that never landed. The media has the old ones.
            assertThat(read(c, 0)).isEqualTo(block(2).array());
            assertThat(mediaOffsetOf(dev, 2)).as("the new bytes are nowhere on the media").isEqualTo(-1);
            assertThat(mediaOffsetOf(dev, 1)).isNotNegative();
            assertThat(dev.violations().total()).isZero();

            // drop_caches: the failed pages are clean, so they go, and the next read fills from the media.
            KernelIoPath.dropCaches(dev);
            assertThat(read(c, 0)).isEqualTo(block(1).array());
            List<Violation> all = dev.violations().all();
            assertThat(all).hasSize(1);
            assertThat(all.get(0).kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(all.get(0).location().path()).isEqualTo("/db/data.bin");
            assertThat(all.get(0).location().offset()).isZero();
            assertThat(dev.faults().fired()).hasSize(1);
            assertThat(dev.faults().fired().get(0).fault().kind()).isEqualTo(FaultKind.FSYNC_ERROR);
            for (FileChannel ch : List.of(a, b, c, d)) {
                ch.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    void withoutTheFaultTheSameProgramIsCleanAndTheDataLands(KernelPreset preset) throws Exception {
        try (SimulatedDevice dev = device(preset); SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            Path file = Files.createDirectories(fs.getPath("/db")).resolve("data.bin");
            try (FileChannel a = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
                 FileChannel b = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                a.write(block(1), 0);
                a.force(true);
                a.write(block(2), 0);
                a.force(true);
                a.force(true);
                b.force(false);
                KernelIoPath.dropCaches(dev);
                assertThat(read(b, 0)).isEqualTo(block(2).array());
                assertThat(mediaOffsetOf(dev, 2)).isNotNegative();
            }
            assertThat(dev.finish().total()).isZero();
            assertThat(dev.faults().fired()).isEmpty();
        }
    }

    @Test
    void aRetryThatRewritesTheDataMakesItDurable() throws Exception {
        try (SimulatedDevice dev = device(KernelPreset.MODERN); SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            Path file = fs.getPath("/wal");
            try (FileChannel a = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                dev.faults().failFsync(1);
                a.write(block(3), 0);
                assertThatThrownBy(() -> a.force(true)).hasMessage("Input/output error");
                a.write(block(3), 0);
                a.force(true);
                KernelIoPath.dropCaches(dev);
                assertThat(read(a, 0)).isEqualTo(block(3).array());
            }
            assertThat(dev.finish().total()).isZero();
        }
    }

    @Test
    void everyKindOfFlushCountsInCallOrder() throws Exception {
        try (SimulatedDevice dev = device(KernelPreset.MODERN); SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            Path dir = Files.createDirectory(fs.getPath("/d"));
            Path file = dir.resolve("f");
            dev.faults().failFsync(3);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ);
                 FileChannel sync = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.SYNC)) {
                assertThatThrownBy(() -> d.force(true)).as("1: a directory's fsync").hasMessage("Input/output error");
                assertThatThrownBy(dev::flush).as("2: the device's flush").hasMessage("Input/output error");
                assertThatThrownBy(() -> sync.write(block(4), 0)).as("3: a SYNC write's implicit force")
                        .hasMessage("Input/output error");
                d.force(true);
                dev.flush();
                sync.write(block(5), 0);
            }
            assertThat(dev.faults().fired()).hasSize(3);
        }
    }

    @Test
    void anAsynchronousChannelAndOneOpenedBeforeAnyoneSawTheErrorReportItToo() throws Exception {
        try (SimulatedDevice dev = device(KernelPreset.MODERN); SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            Path file = fs.getPath("/log");
            try (FileChannel a = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 AsynchronousFileChannel async = AsynchronousFileChannel.open(file, StandardOpenOption.WRITE)) {
                a.write(block(7), 0);
                dev.faults().failFsync(1);
                // The device's flush fails this file's writeback too: the error is in the file's cache, unseen.
                assertThatThrownBy(dev::flush).hasMessage("Input/output error");
                try (FileChannel late = FileChannel.open(file, StandardOpenOption.READ)) {
                    // Opened after the error, before any channel of the file saw it (Linux since v4.17).
                    assertThatThrownBy(() -> late.force(true)).hasMessage("Input/output error");
                    late.force(true);
                }
                assertThatThrownBy(() -> async.force(true)).hasMessage("Input/output error");
                async.force(true);
                assertThatThrownBy(() -> a.force(true)).hasMessage("Input/output error");
                a.force(true);
                try (FileChannel after = FileChannel.open(file, StandardOpenOption.READ)) {
                    after.force(true);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    void rawDeviceChannelsReportTheDeviceCachesErrorOnceEach(KernelPreset preset) throws Exception {
        try (SimulatedDevice dev = quietFlusher(preset)) {
            FileChannel a = DeviceChannels.open(dev, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileChannel b = DeviceChannels.open(dev, StandardOpenOption.READ);
            a.write(block(1), 0);
            a.force(true);
            dev.faults().failFsync(1);
            a.write(block(2), 0);
            assertThatThrownBy(() -> a.force(true)).hasMessage("Input/output error");
            a.force(true);
            FileChannel c = DeviceChannels.open(dev, StandardOpenOption.READ);
            assertThatThrownBy(() -> b.force(true)).hasMessage("Input/output error");
            b.force(true);
            c.force(true);
            ByteBuffer raw = ByteBuffer.allocate(BS);
            dev.readRaw(0, raw);
            assertThat(raw.array()).isEqualTo(block(1).array());
            KernelIoPath.dropCaches(dev);
            ByteBuffer got = ByteBuffer.allocate(BS);
            dev.read(got, 0, IoMode.BUFFERED);
            assertThat(got.array()).isEqualTo(block(1).array());
            assertThat(dev.violations().all()).singleElement()
                    .satisfies(v -> assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ));
            for (FileChannel ch : List.of(a, b, c)) {
                ch.close();
            }
        }
    }

    @Test
    void withoutAPageCacheTheFailedFlushIsTheCallersOnly() throws Exception {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(8L << 20).blockSize(BS).seed(13).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            Path file = fs.getPath("/direct");
            try (FileChannel a = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileChannel b = FileChannel.open(file, StandardOpenOption.READ)) {
                a.write(block(6), 0);
                dev.faults().failFsync(1);
                assertThatThrownBy(() -> a.force(true)).hasMessage("Input/output error");
                a.force(true);
                b.force(true);
            }
            assertThat(dev.finish().total()).isZero();
            assertThat(dev.faults().fired()).hasSize(1);
        }
    }
}
