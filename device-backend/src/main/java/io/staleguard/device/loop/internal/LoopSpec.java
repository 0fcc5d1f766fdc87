package io.staleguard.device.loop.internal;

import io.staleguard.device.loop.FilesystemType;
import java.nio.file.Path;

/**
 * What to set up: validated settings of a loop device.
 *
 * @param workDir            base directory; each JVM run gets its own subdirectory in it
 * @param size               image size in bytes (a multiple of the sector size)
 * @param sectorSize         the loop device's logical sector size, 512 or 4096
 * @param loopDirectIo       whether the loop driver opens its backing file with O_DIRECT
 * @param filesystem         filesystem to create and mount, or NONE
 * @param existingImage      an image file to attach instead of creating one (foreign), or null
 * @param existingDevice     a block device to use instead of attaching one (foreign), or null
 * @param allowForeignDevice explicit consent to touch an image or device this run did not create
 * @param hook               called after each setup step (tests)
 */
public record LoopSpec(Path workDir, long size, int sectorSize, boolean loopDirectIo, FilesystemType filesystem,
                       Path existingImage, Path existingDevice, boolean allowForeignDevice, LifecycleHook hook) {

    public LoopSpec {
        if (sectorSize != 512 && sectorSize != 4096) {
            throw new IllegalArgumentException("sectorSize " + sectorSize + " is not supported (expected 512 or 4096)");
        }
        if (existingImage == null && existingDevice == null) {
            if (size <= 0 || size % sectorSize != 0) {
                throw new IllegalArgumentException("size " + size + " is not a positive multiple of the sector size "
                        + sectorSize);
            }
            if (size < filesystem.minimumSize()) {
                throw new IllegalArgumentException("size " + size + " is too small for " + filesystem + " (at least "
                        + filesystem.minimumSize() + " bytes)");
            }
        }
        if (existingImage != null && existingDevice != null) {
            throw new IllegalArgumentException("give either an existing image (" + existingImage
                    + ") or an existing device (" + existingDevice + "), not both");
        }
        if (workDir == null) {
            throw new IllegalArgumentException("workDir is null");
        }
        hook = hook == null ? LifecycleHook.NONE : hook;
    }
}
