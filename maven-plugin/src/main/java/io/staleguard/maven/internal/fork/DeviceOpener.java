package io.staleguard.maven.internal.fork;

import io.staleguard.device.BlockDevice;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the real backend a soak's workload runs on, or says why it cannot.
 */
interface DeviceOpener {

    /** Why {@code backend} cannot be used here (not root, no free loop device, ...), or empty if it can. */
    String unavailable(String backend);

    /** Creates a fresh device of {@code bytes} in {@code workDirectory}; the caller closes it. */
    BlockDevice open(String backend, Path workDirectory, long bytes, long seed) throws IOException;
}
