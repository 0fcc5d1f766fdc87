package io.staleguard.device.fs.internal;

/**
 * The file key of {@code BasicFileAttributes.fileKey()}: the filesystem and the inode, printed as the default
 * Unix filesystem prints its own.
 *
 * @param volume the filesystem's id
 * @param inode  the inode number
 */
public record FsFileKey(long volume, long inode) {
    @Override
    public String toString() {
        return "(dev=" + Long.toHexString(volume) + ",ino=" + inode + ")";
    }
}
