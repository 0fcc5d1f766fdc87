package io.staleguard.device.loop;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/** The filesystem a {@link LoopDevice} puts on its loop device, or none (raw block device). */
@API(status = EXPERIMENTAL, since = "0.1")
public enum FilesystemType {
    /** No filesystem: the device itself is the I/O target. */
    NONE(null, 1L << 20),
    /** ext4, formatted with eager inode-table and journal initialization. */
    EXT4("ext4", 16L << 20),
    /** XFS; mkfs.xfs refuses filesystems smaller than 300 MiB. */
    XFS("xfs", 300L << 20),
    /** btrfs; mkfs.btrfs refuses devices smaller than about 109 MiB. */
    BTRFS("btrfs", 128L << 20);

    private final String type;
    private final long minimumSize;

    FilesystemType(String type, long minimumSize) {
        this.type = type;
        this.minimumSize = minimumSize;
    }

    /** The kernel and mkfs name ("ext4"), or null for {@link #NONE}. */
    public String type() {
        return type;
    }

    /** The smallest image size in bytes this filesystem can be created on. */
    public long minimumSize() {
        return minimumSize;
    }

    /** Parses "ext4", "XFS", "none", ...; the error names the bad value. */
    public static FilesystemType parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown filesystem '" + text + "' (expected one of NONE, EXT4, XFS, BTRFS)",
                    e);
        }
    }
}
