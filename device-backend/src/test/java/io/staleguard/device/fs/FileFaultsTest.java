package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.FaultKind;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults aimed at a file ({@link SimulatedFileSystem#faults()}): a range of the file is the device's blocks under
 * it, and what the fault does is caught with the file named (plan §5.1 #5c); bad ranges are refused naming them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileFaultsTest {

    private static final int BS = 4096;

    private static SimulatedDevice device() {
        return SimulatedDevice.builder().capacity(8L << 20).blockSize(BS).seed(21)
                .ioPath(KernelIoPath.of(KernelPreset.MODERN)).build();
    }

    private static ByteBuffer block(int fill) {
        byte[] b = new byte[BS];
        Arrays.fill(b, (byte) fill);
        return ByteBuffer.wrap(b);
    }

    private static byte[] read(FileChannel ch, long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BS);
        while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
            // the whole block
        }
        return b.array();
    }

    /** Writes v1 and v2 over one block of a file, forcing each, then reads it back from the media. */
    private static List<Violation> writeTwiceAndReadBack(SimulatedDevice dev, SimulatedFileSystem fs, boolean lose)
            throws IOException {
        Path file = Files.createDirectories(fs.getPath("/db")).resolve("table.dat");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.write(block(1), BS);
            ch.force(true);
            if (lose) {
                assertThat(fs.faults().loseWrite(file, BS, BS)).hasSize(1);
            }
            ch.write(block(2), BS);
            ch.force(true);
            KernelIoPath.dropCaches(dev);
            byte[] got = read(ch, BS);
            assertThat(got).isEqualTo(block(lose ? 1 : 2).array());
        }
        return dev.finish().all();
    }

    @Test
    void aLostWritebackOfAFileBlockIsAStaleReadNamingTheFile() throws IOException {
        try (SimulatedDevice dev = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            List<Violation> found = writeTwiceAndReadBack(dev, fs, true);
            assertThat(found).singleElement().satisfies(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
                assertThat(v.location().path()).isEqualTo("/db/table.dat");
                assertThat(v.location().offset()).isEqualTo(BS);
            });
            assertThat(dev.faults().fired()).singleElement()
                    .satisfies(f -> assertThat(f.fault().kind()).isEqualTo(FaultKind.LOST_WRITE));
        }
    }

    @Test
    void withoutTheFaultTheSameProgramIsClean() throws IOException {
        try (SimulatedDevice dev = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            assertThat(writeTwiceAndReadBack(dev, fs, false)).isEmpty();
            assertThat(dev.faults().fired()).isEmpty();
        }
    }

    @Test
    void aLostDirectWriteToAFileIsAStaleReadNamingTheFile() throws IOException {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(8L << 20).blockSize(BS).seed(21).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            Path file = fs.getPath("/seg.log");
            ByteBuffer direct = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
                direct.put(block(1)).flip();
                ch.write(direct, 0);
                fs.faults().loseWrite(file);
                direct.clear();
                direct.put(block(2)).flip();
                assertThat(ch.write(direct, 0)).as("acknowledged").isEqualTo(BS);
                direct.clear();
                ch.read(direct, 0);
                assertThat(direct.flip()).isEqualTo(block(1));
            }
            assertThat(dev.finish().all()).singleElement().satisfies(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
                assertThat(v.location().path()).isEqualTo("/seg.log");
            });
        }
    }

    @Test
    void failFsyncIsTheDevicesAndTheDeviceInjectorIsShared() throws IOException {
        try (SimulatedDevice dev = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            assertThat(fs.faults().device()).isSameAs(dev.faults());
            fs.faults().failFsync(1);
            assertThatThrownBy(dev::flush).isInstanceOf(IOException.class).hasMessage("Input/output error");
            dev.flush();
        }
    }

    @Test
    void aRangeMustBeWholeBlocksTheFileHas() throws IOException {
        try (SimulatedDevice dev = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            Path file = fs.getPath("/sparse");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.write(block(1), 2 * BS);
            }
            assertThatThrownBy(() -> fs.faults().failReads(file, 100, BS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("failReads: file range [100, +4096) of /sparse is not whole blocks of 4096 bytes");
            assertThatThrownBy(() -> fs.faults().loseWrite(file, 0, 3 * BS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("loseWrite: /sparse has no block at file offset 0 (a hole): write the range first");
            assertThatThrownBy(() -> fs.faults().failReads(fs.getPath("/missing"), 0, BS))
                    .isInstanceOf(NoSuchFileException.class).hasMessage("/missing");
            assertThatThrownBy(() -> fs.faults().failReads(fs.root(), 0, BS))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("failReads: / is a directory");
            assertThat(fs.faults().failReads(file, 2 * BS, BS)).hasSize(1);
        }
    }
}
