package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import io.staleguard.device.channels.DeviceChannels;
import io.staleguard.device.sim.MediaSnapshot;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A power cycle takes the writeback errors with the page caches ({@code errseq_t} lives in the mapping, and a
 * rebooted kernel's mappings are new): a file or raw-device channel opened after the cycle does not hear of an fsync
 * error from before the power loss. Each case runs the same program twice on fresh devices: without the cycle the
 * channel opened after the failure reports it (the error is there and unseen: since v4.17 a file opened then still
 * hears of it), with the cycle between the failure and the open it does not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PowerCycleWritebackErrorTest {

    private static final int BS = 4096;
    private static final long SEED = 0xE55EC;

    /** The device's own flusher waits an hour, so the raw-device page is still dirty when the flush fails. */
    private static SimulatedDevice device() {
        return SimulatedDevice.builder().capacity(8L << 20).blockSize(BS).seed(SEED)
                .ioPath(new KernelIoPath(KernelPreset.MODERN.config(), KernelIoPath.DEFAULT_MAX_PAGES,
                        KernelIoPath.DEFAULT_WRITEBACK_DMA_NANOS, 3_600_000_000_000L)).build();
    }

    private static ByteBuffer block(int fill) {
        byte[] b = new byte[BS];
        Arrays.fill(b, (byte) fill);
        return ByteBuffer.wrap(b);
    }

    /** A device flush with an injected fsync error: every cache's writeback fails, and no open file has seen it. */
    private static void failTheWriteback(SimulatedDevice dev) {
        dev.faults().failFsync(1);
        assertThatThrownBy(dev::flush).isInstanceOf(IOException.class).hasMessage("Input/output error");
    }

    private static void powerCycleIf(boolean cycle, SimulatedDevice dev, MediaSnapshot image) {
        if (cycle) {
            dev.powerCycle(image);
        }
    }

    /**
     * The force of a channel opened after the failure: without a cycle it reports the unseen error once and then
     * succeeds; after a cycle it succeeds at once.
     */
    private static void forceOpenedAfterTheFailure(FileChannel ch, boolean cycle, String why) throws IOException {
        if (!cycle) {
            assertThatThrownBy(() -> ch.force(true)).as("the error before any cycle, " + why)
                    .isInstanceOf(IOException.class).hasMessage("Input/output error");
        }
        ch.force(true);
    }

    @ParameterizedTest(name = "power cycle between the failure and the open: {0}")
    @ValueSource(booleans = {false, true})
    void aFileOpenedAfterThePowerCycleDoesNotHearOfTheErrorFromBefore(boolean cycle) throws Exception {
        String why = "seed 0x" + Long.toHexString(SEED) + ", cycle " + cycle
                + "; reproduce with: mvn test -pl device-backend -Dtest=PowerCycleWritebackErrorTest";
        try (SimulatedDevice dev = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            Path file = Files.createDirectories(fs.getPath("/db")).resolve("data.bin");
            try (FileChannel a = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                a.write(block(1), 0);
                a.force(true);
                dev.flush();
                MediaSnapshot image = dev.freezeMedia();
                a.write(block(2), 0);
                failTheWriteback(dev);

                powerCycleIf(cycle, dev, image);

                try (FileChannel b = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    b.write(block(3), 0);
                    forceOpenedAfterTheFailure(b, cycle, why);
                }
            }
            assertThat(dev.violations().total()).as(why).isZero();
        }
    }

    @ParameterizedTest(name = "power cycle between the failure and the open: {0}")
    @ValueSource(booleans = {false, true})
    void aRawDeviceChannelOpenedAfterThePowerCycleDoesNotHearOfTheErrorFromBefore(boolean cycle) throws Exception {
        String why = "seed 0x" + Long.toHexString(SEED) + ", cycle " + cycle
                + "; reproduce with: mvn test -pl device-backend -Dtest=PowerCycleWritebackErrorTest";
        try (SimulatedDevice dev = device()) {
            dev.write(block(1), 0, IoMode.BUFFERED);
            dev.flush();
            MediaSnapshot image = dev.freezeMedia();
            dev.write(block(2), 0, IoMode.BUFFERED);
            failTheWriteback(dev);

            powerCycleIf(cycle, dev, image);

            try (FileChannel ch = DeviceChannels.open(dev, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.write(block(3), BS);
                forceOpenedAfterTheFailure(ch, cycle, why);
            }
            assertThat(dev.violations().total()).as(why).isZero();
        }
    }
}
