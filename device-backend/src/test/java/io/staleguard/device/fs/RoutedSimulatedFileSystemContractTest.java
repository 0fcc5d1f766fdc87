package io.staleguard.device.fs;

import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;

/**
 * The contract through routing: the root is a default-filesystem path routed to a directory of a simulated
 * filesystem, so every call passes the routing provider and must still behave as on the host.
 */
@Tag(RoutingRequired.TAG)
class RoutedSimulatedFileSystemContractTest extends FileSystemContractTest {

    private SimulatedDevice device;
    private SimulatedFileSystem fs;
    private Route route;

    @Override
    protected Path newRoot() throws IOException {
        RoutingFileSystemProvider provider = RoutingRequired.provider();
        device = SimulatedDevice.builder().capacity(64L << 20).seed(0x5eed).build();
        fs = SimulatedFileSystem.on(device);
        route = provider.routeAbsentDirectory("run", Files.createDirectory(fs.getPath("/run")));
        return route.hostDirectory();
    }

    @AfterEach
    void close() throws IOException {
        if (route != null) {
            route.close();
            fs.close();
            device.close();
        }
    }
}
