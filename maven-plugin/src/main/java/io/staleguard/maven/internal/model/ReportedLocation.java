package io.staleguard.maven.internal.model;

import io.staleguard.device.FileLocation;

/**
 * Where a violation lies in a file: the {@code location} member of a violation object ({@code docs/REPORT-FORMAT.md}),
 * present only for a violation on a file.
 *
 * @param path   the file's path in its filesystem
 * @param offset the offset in the file of the violation's first byte
 */
public record ReportedLocation(String path, long offset) {

    public ReportedLocation {
        path = path == null ? "" : path;
    }

    /** The location of a device-side violation, or null for one on the raw device. */
    public static ReportedLocation of(FileLocation location) {
        return location == null ? null : new ReportedLocation(location.path(), location.offset());
    }

    /** "{@code /db/wal.log at file offset 8192}", as the device words it. */
    @Override
    public String toString() {
        return path + " at file offset " + offset;
    }
}
