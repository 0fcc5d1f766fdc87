package io.staleguard.device.fs.internal;

import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A snapshot of one inode's attributes, for the {@code basic} and {@code posix} views. The owner and group are the
 * user running the JVM: the simulated filesystem has one user.
 */
record FsAttributes(long size, long modifiedNanos, long accessNanos, long createdNanos, boolean directory,
                    FsFileKey key, Set<PosixFilePermission> mode) implements PosixFileAttributes {

    static FsAttributes of(Volume volume, Inode f) {
        return new FsAttributes(f.isDirectory() ? volume.directorySize() : f.size(), f.modifiedNanos(),
                f.accessNanos(), f.createdNanos(), f.isDirectory(), new FsFileKey(volume.id(), f.number()),
                f.permissions());
    }

    static final UserPrincipal USER = new Principal(System.getProperty("user.name", "user"));

    /** The one user and group of the filesystem. */
    record Principal(String name) implements UserPrincipal, GroupPrincipal {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(modifiedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public FileTime lastAccessTime() {
        return FileTime.from(accessNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public FileTime creationTime() {
        return FileTime.from(createdNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isRegularFile() {
        return !directory;
    }

    @Override
    public boolean isDirectory() {
        return directory;
    }

    @Override
    public boolean isSymbolicLink() {
        return false;
    }

    @Override
    public boolean isOther() {
        return false;
    }

    @Override
    public Object fileKey() {
        return key;
    }

    @Override
    public UserPrincipal owner() {
        return USER;
    }

    @Override
    public GroupPrincipal group() {
        return (GroupPrincipal) USER;
    }

    @Override
    public Set<PosixFilePermission> permissions() {
        return mode;
    }
}
