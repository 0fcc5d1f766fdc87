package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random writes, truncates, deletes and re-creations on a few files of a small, crowded filesystem, with the
 * device cutting transfers short, compared byte for byte with an in-memory model: extents, holes, zeroing of new
 * blocks and reuse of freed ones must never show a byte the model does not have.
 */
class SimulatedFileSystemDifferentialTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void randomOperationsMatchTheModel(long seed) throws IOException {
        run(seed, SimulatedDevice.builder().shortTransferProbability(0.3));
    }

    /**
     * The same on the kernel path, one page cache per file: 512-byte blocks put several blocks in a page, and with
     * the dirty expiry at zero the flusher writes files back while they are written, cut, deleted and their blocks
     * reused. A short write's tail that the writer retried is in the file's page cache when the channel closes:
     * the close writes the file back before the tracker reads the tail from the media (else a false SHORT_TRANSFER,
     * which the device-wide cache of before showed too when its flusher had not run yet).
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void randomOperationsMatchTheModelThroughPerFilePageCaches(long seed) throws IOException {
        run(seed, SimulatedDevice.builder().shortTransferProbability(0.3)
                .ioPath(KernelIoPath.of(KernelPreset.MODERN).dirtyExpire(Duration.ZERO)));
        run(seed, SimulatedDevice.builder().shortTransferProbability(0.3).ioPath(KernelIoPath.of(KernelPreset.MODERN)));
        // Without stable pages the flusher's writeback of a file being written is H3 itself: with Linux's expiry
        // it does not run during the test.
        run(seed, SimulatedDevice.builder().ioPath(KernelIoPath.of(KernelPreset.STABLE_PAGES_NONE_2011)));
    }

    private static void run(long seed, SimulatedDevice.Builder builder) throws IOException {
        Random r = new Random(seed);
        try (SimulatedDevice device = builder.capacity(2 << 20).blockSize(512).seed(seed).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            int files = 4;
            byte[][] model = new byte[files][0];
            for (int step = 0; step < 400; step++) {
                int k = r.nextInt(files);
                Path p = fs.getPath("/f" + k);
                int op = r.nextInt(10);
                if (op < 6) {
                    int at = r.nextInt(120_000);
                    byte[] data = new byte[1 + r.nextInt(9000)];
                    r.nextBytes(data);
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                        ByteBuffer b = ByteBuffer.wrap(data);
                        while (b.hasRemaining()) {
                            ch.write(b, at + b.position());
                        }
                    }
                    byte[] m = model[k];
                    if (m.length < at + data.length) {
                        m = Arrays.copyOf(m, at + data.length);
                    }
                    System.arraycopy(data, 0, m, at, data.length);
                    model[k] = m;
                } else if (op < 8) {
                    if (Files.exists(p)) {
                        int to = r.nextInt(model[k].length + 1);
                        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                            ch.truncate(to);
                        }
                        model[k] = Arrays.copyOf(model[k], to);
                    }
                } else if (Files.deleteIfExists(p)) {
                    model[k] = new byte[0];
                }
                if (step % 25 == 0 || step == 399) {
                    for (int j = 0; j < files; j++) {
                        Path q = fs.getPath("/f" + j);
                        byte[] actual = Files.exists(q) ? Files.readAllBytes(q) : new byte[0];
                        assertThat(actual).as("file %d after step %d", j, step).isEqualTo(model[j]);
                    }
                }
            }
            assertThat(device.finish().all()).isEmpty();
        }
    }
}
