package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The simulated filesystem on a device whose kernel path runs DAX: no page cache, so buffered and direct file I/O go
 * to the media as raw-device I/O does; files, truncate, delete, rename and fsync work as on the page cache, and
 * {@code FileChannel.map} stays refused.
 */
class DaxFileSystemTest {

    private static final int BS = 4096;

    @Test
    void fileOperationsWorkOnADaxDevice() throws IOException {
        KernelIoPath path = KernelIoPath.dax(KernelPreset.MODERN.config());
        try (SimulatedDevice device = SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(0xDA7)
                .ioPath(path).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path dir = Files.createDirectories(fs.getPath("/db"));
            Path log = dir.resolve("log");
            Files.writeString(log, "hello, dax");
            assertThat(Files.readString(log)).isEqualTo("hello, dax");
            byte[] big = new byte[5 * BS + 100];
            Arrays.fill(big, (byte) 7);
            Files.write(dir.resolve("big"), big);
            try (FileChannel ch = FileChannel.open(dir.resolve("big"), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ch.truncate(2 * BS + 10);
                ch.force(true);
                assertThat(ch.size()).isEqualTo(2 * BS + 10);
                ByteBuffer back = ByteBuffer.allocate(3 * BS);
                assertThat(ch.read(back, 0)).isEqualTo(2 * BS + 10);
                assertThatThrownBy(() -> ch.map(FileChannel.MapMode.READ_ONLY, 0, BS))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("KernelIoPath.map");
            }
            ByteBuffer block = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS).limit(BS);
            while (block.hasRemaining()) {
                block.put((byte) 3);
            }
            block.flip();
            try (FileChannel d = FileChannel.open(dir.resolve("direct"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                assertThat(d.write(block, 0)).isEqualTo(BS);
            }
            assertThat(Files.readAllBytes(dir.resolve("direct"))).containsOnly((byte) 3);
            Files.move(log, dir.resolve("log.old"));
            assertThat(Files.readAllBytes(dir.resolve("log.old"))).isEqualTo("hello, dax".getBytes(StandardCharsets.UTF_8));
            Files.delete(dir.resolve("big"));
            Files.write(dir.resolve("reuse"), new byte[3 * BS]);
            assertThat(Files.readAllBytes(dir.resolve("reuse"))).containsOnly((byte) 0);
            assertThat(path.cachedPages()).as("DAX has no page cache").isZero();
            assertThat(device.finish().all()).isEmpty();
        }
    }
}
