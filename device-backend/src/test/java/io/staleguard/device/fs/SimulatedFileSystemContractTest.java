package io.staleguard.device.fs;

import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** The contract on the simulated filesystem, in a fresh directory of a fresh filesystem and device per test. */
class SimulatedFileSystemContractTest extends FileSystemContractTest {

    private SimulatedDevice device;
    private SimulatedFileSystem fs;

    @Override
    protected Path newRoot() throws IOException {
        device = SimulatedDevice.builder().capacity(64L << 20).seed(0x5eed).build();
        fs = SimulatedFileSystem.on(device);
        return Files.createDirectory(fs.getPath("/run"));
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
        device.close();
    }
}
