package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.MediaSnapshot;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import io.staleguard.device.sim.kernel.StablePages;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A power cycle drops the pages of every file's own page cache without writing them back: a file
 * forced, then overwritten through its cache and never forced again, reads as forced after the
 * cycle, through the same filesystem and a fresh channel.
 */
class FileCachePowerCycleTest {

    static final long SEED = 0xF11EC0DEL;
    static final int SIZE = 64 * 1024;

    static ByteBuffer filled(int value) {
        byte[] b = new byte[SIZE];
        Arrays.fill(b, (byte) value);
        return ByteBuffer.wrap(b);
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    void unforcedPagesOfAFileCacheDieWithThePower(KernelPreset preset) throws Exception {
        String why = "preset " + preset + ", seed 0x" + Long.toHexString(SEED)
                + "; reproduce with: mvn test -pl device-backend -Dtest=FileCachePowerCycleTest";
        KernelIoPath path = KernelIoPath.of(preset).dirtyExpire(Duration.ofMillis(1));
        try (SimulatedDevice device = SimulatedDevice.builder().capacity(8 << 20).blockSize(4096).seed(SEED)
                .ioPath(path).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path file = fs.getPath("/data");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.write(filled(1), 0);
                ch.force(true);
            }
            device.flush();
            MediaSnapshot base = device.freezeMedia();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(filled(2), 0);
                // The dirty expiry is 1 ms: the flusher writes some pages back to the media in this time.
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                ch.write(ByteBuffer.wrap(new byte[] {3, 3, 3}), 8192);
                assertThat(path.cachedPages()).as(why).isPositive();
                long before = device.violations().total();

                device.powerCycle(base);

                assertThat(path.cachedPages()).as("no page of the file's cache survives, " + why).isZero();
                try (FileChannel fresh = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer got = ByteBuffer.allocate(SIZE);
                    while (got.hasRemaining() && fresh.read(got, got.position()) > 0) {
                        // read on
                    }
                    assertThat(got.array()).as(why).isEqualTo(filled(1).array());
                }
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                assertThat(Files.readAllBytes(file)).as("later, " + why).isEqualTo(filled(1).array());
                // Under stable pages NONE the 3-byte write can land in a page the flusher is writing back:
                // that is the 2011 hazard itself, caught as it should be, and not the power cycle's doing.
                List<Violation> others = device.violations().all().stream().skip(before)
                        .filter(v -> !(preset.config().stablePages() == StablePages.NONE
                                && v.kind() == ViolationKind.GUARD_TAG && "flusher".equals(v.thread())))
                        .toList();
                assertThat(others).as(why).isEmpty();
            }
        }
    }
}
