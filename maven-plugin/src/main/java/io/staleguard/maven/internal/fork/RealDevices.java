package io.staleguard.maven.internal.fork;

import io.staleguard.device.BlockDevice;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the real backends (a file, a loop device) for the soak's workload.
 */
final class RealDevices implements DeviceOpener {

    static DeviceOpener create() {
        return new RealDevices();
    }

    @Override
    public String unavailable(String backend) {
        return "the real backends (io.staleguard.device.file/loop) are not in this build yet";
    }

    @Override
    public BlockDevice open(String backend, Path workDirectory, long bytes, long seed) throws IOException {
        throw new IOException(unavailable(backend));
    }
}
