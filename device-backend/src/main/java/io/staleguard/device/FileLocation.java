package io.staleguard.device;

import java.util.Objects;

/**
 * Where a device byte lies in a file of a filesystem kept on the device: the file's path and the byte's offset in
 * the file. A violation on a file carries one ({@link Violation#location()}), next to the device offset and LBA.
 *
 * @param path   the file's absolute path in its filesystem, as of when the violation was recorded; a file whose
 *               last name was removed while a channel kept it open ends in {@code " (deleted)"}, as
 *               {@code /proc/<pid>/fd} shows it
 * @param offset the byte's offset in the file
 */
@org.apiguardian.api.API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
public record FileLocation(String path, long offset) {

    public FileLocation {
        Objects.requireNonNull(path, "path");
        if (offset < 0) {
            throw new IllegalArgumentException("file offset must be >= 0, was " + offset);
        }
    }

    /** "{@code /db/wal.log at file offset 8192}". */
    @Override
    public String toString() {
        return path + " at file offset " + offset;
    }
}
