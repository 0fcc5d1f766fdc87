package io.staleguard.device;

/**
 * Maps a device offset to the file that holds it, for a filesystem kept on a device. A filesystem registers one on
 * its device ({@link io.staleguard.device.core.VerifyingDevice#locateFiles}) so that violations and the operations
 * interleaving hooks see name the file and the offset in it, as well as the device offset.
 *
 * <p>Called on the recording or submitting thread, possibly while the device holds its own locks: an
 * implementation must not block, and must not call the device.
 */
@FunctionalInterface
@org.apiguardian.api.API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
public interface FileLocator {

    /** The file and file offset of device byte {@code deviceOffset}, or null if no file holds it. */
    FileLocation locate(long deviceOffset);
}
