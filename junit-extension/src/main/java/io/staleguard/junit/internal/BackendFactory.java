package io.staleguard.junit.internal;

import io.staleguard.device.BlockDevice;
import java.nio.file.Path;

/** Opens the devices of one backend. */
public interface BackendFactory {

    /** Why the backend cannot serve {@code spec} on this host (precise: "not root", "mkfs.xfs missing"), or null. */
    String unavailableReason(DeviceSpec spec);

    /**
     * Opens a device for {@code spec}.
     *
     * @param spec  the validated spec
     * @param seed  the device's seed
     * @param label a readable name for threads and reports
     */
    Opened open(DeviceSpec spec, long seed, String label) throws Exception;

    /**
     * An opened device.
     *
     * @param device        the block device, or null when only a host directory is provided
     * @param hostDirectory the directory a verifying filesystem wraps for a {@code Path}, or null
     * @param cleanup       run after the device is closed (removes temporary files), or null
     */
    record Opened(BlockDevice device, Path hostDirectory, AutoCloseable cleanup) {
    }
}
