package io.staleguard.device.loop.internal;

import java.io.IOException;
import java.util.Optional;

/**
 * Looks for filesystem, RAID or partition-table signatures on an image or device with
 * {@code blkid --probe} (low level: reads the bytes, ignores the cache).
 */
public final class SignatureProbe {

    private SignatureProbe() {
    }

    /** The signature found ("ext4", "xfs", "dos partition table", ...), or empty for a blank target. */
    public static Optional<String> probe(String path) throws IOException {
        HostCommand.Result r = HostCommand.run("blkid", "--probe", "--output", "export", path);
        if (r.exitCode() == 2) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw new IOException("cannot probe " + path + " for filesystem signatures: " + r.describe());
        }
        String type = null;
        String ptType = null;
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("TYPE=")) {
                type = line.substring(5);
            } else if (line.startsWith("PTTYPE=")) {
                ptType = line.substring(7);
            }
        }
        if (type != null) {
            return Optional.of(type);
        }
        if (ptType != null) {
            return Optional.of(ptType + " partition table");
        }
        return Optional.of("unknown signature (" + r.stdout().strip().replace('\n', ' ') + ")");
    }
}
