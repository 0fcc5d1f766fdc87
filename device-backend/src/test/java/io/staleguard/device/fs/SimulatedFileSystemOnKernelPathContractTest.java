package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/**
 * The contract on the simulated filesystem over a device with the MODERN kernel path, so every file has its own page
 * cache: the behaviour must not change, and the device must find nothing.
 */
class SimulatedFileSystemOnKernelPathContractTest extends FileSystemContractTest {

    private SimulatedDevice device;
    private SimulatedFileSystem fs;

    @Override
    protected Path newRoot() throws IOException {
        device = SimulatedDevice.builder().capacity(64L << 20).seed(0x5eed).ioPath(KernelIoPath.of(KernelPreset.MODERN))
                .build();
        fs = SimulatedFileSystem.on(device);
        return Files.createDirectory(fs.getPath("/run"));
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
        assertThat(device.finish().all()).isEmpty();
        device.close();
    }
}
