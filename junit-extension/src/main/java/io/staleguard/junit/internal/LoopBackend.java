package io.staleguard.junit.internal;

import io.staleguard.device.loop.Availability;
import io.staleguard.device.loop.FilesystemType;
import io.staleguard.device.loop.LoopDevice;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The LOOP backend: a loop device over a fresh sparse image (made, attached, formatted, mounted and always
 * released by {@link LoopDevice}, which touches nothing it did not create), raw or with a filesystem whose mount
 * point backs an injected {@code Path}. A {@code Path} is counted and verified by the verifying filesystem alone,
 * as on FILE: the device then only holds the mount.
 */
final class LoopBackend implements BackendFactory {

    @Override
    public String unavailableReason(DeviceSpec spec) {
        Availability a = LoopDevice.availability(filesystem(spec));
        return a.available() ? null : a.reason();
    }

    @Override
    public Opened open(DeviceSpec spec, long seed, String label) throws Exception {
        FilesystemType fs = filesystem(spec);
        long image = Math.max(spec.capacity(), fs.minimumSize());
        LoopDevice.Builder b = LoopDevice.builder()
                .size(image)
                .sectorSize(spec.blockSize())
                .filesystem(fs)
                .protection(spec.protection())
                .seed(seed)
                .shortTransferProbability(spec.shortTransfers())
                .dmaDelay(SimulatedBackend.DMA_MIN, SimulatedBackend.DMA_MAX)
                .captureStacks(true)
                .verifyAfterWrite(true);
        if (fs == FilesystemType.NONE) {
            b.capacity(spec.capacity());
        }
        LoopDevice device = b.build();
        if (!spec.pathRoot()) {
            return new Opened(device, null, null);
        }
        try {
            // A Path is verified by the verifying filesystem over the mount point, which counts its operations;
            // the loop device only holds the mount, so its data file goes and the device is not reported.
            Files.deleteIfExists(device.mountPoint().resolve(LoopDevice.DATA_FILE));
            Path dir = Files.createDirectories(device.mountPoint().resolve("staleguard-test"));
            return new Opened(null, dir, () -> {
                try {
                    FileBackend.deleteTree(dir);
                } finally {
                    device.close();
                }
            });
        } catch (Exception | Error e) {
            device.close();
            throw e;
        }
    }

    private static FilesystemType filesystem(DeviceSpec spec) {
        return switch (spec.filesystem()) {
            case NONE -> FilesystemType.NONE;
            case EXT4 -> FilesystemType.EXT4;
            case XFS -> FilesystemType.XFS;
            case BTRFS -> FilesystemType.BTRFS;
        };
    }
}
