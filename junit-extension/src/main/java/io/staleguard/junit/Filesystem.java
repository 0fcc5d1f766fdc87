package io.staleguard.junit;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** The filesystem made on a {@link Backend#LOOP} device for an injected {@link java.nio.file.Path}. */
@API(status = STABLE, since = "0.1.0")
public enum Filesystem {
    /** No filesystem: the raw device. A {@code Path} on LOOP with {@code NONE} gets {@link #EXT4}. */
    NONE,
    /** ext4 ({@code mkfs.ext4}, from e2fsprogs). */
    EXT4,
    /** XFS ({@code mkfs.xfs}, from xfsprogs). */
    XFS,
    /** Btrfs ({@code mkfs.btrfs}, from btrfs-progs). */
    BTRFS
}
