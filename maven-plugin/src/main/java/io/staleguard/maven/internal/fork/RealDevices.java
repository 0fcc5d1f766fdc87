package io.staleguard.maven.internal.fork;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.file.FileDevice;
import io.staleguard.device.loop.Availability;
import io.staleguard.device.loop.LoopDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the real backends for the soak's workload: a sparse file on the host filesystem, or a loop
 * device the loop backend creates, attaches and detaches itself (it never touches other devices).
 */
final class RealDevices implements DeviceOpener {

    static DeviceOpener create() {
        return new RealDevices();
    }

    @Override
    public String unavailable(String backend) {
        return switch (backend) {
            case "file" -> "";
            case "loop" -> {
                Availability a = LoopDevice.availability();
                yield a.available() ? "" : a.reason();
            }
            default -> "unknown backend '" + backend + "'";
        };
    }

    @Override
    public BlockDevice open(String backend, Path workDirectory, long bytes, long seed) throws IOException {
        Files.createDirectories(workDirectory);
        if (backend.equals("loop")) {
            return LoopDevice.builder().capacity(bytes).seed(seed).build();
        }
        return FileDevice.builder().path(workDirectory.resolve(String.format("soak-%016x.img", seed))).capacity(bytes)
                .seed(seed).deleteOnClose(true).build();
    }
}
