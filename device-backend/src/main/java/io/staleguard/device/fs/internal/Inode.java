package io.staleguard.device.fs.internal;

import io.staleguard.device.sim.kernel.FilePageCache;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * A file or directory: its metadata, in memory, and for a regular file its block map. Namespace fields (the
 * children, the parent, the link and open counts) are guarded by the {@link Volume}; the block map and the size
 * change under {@link #dataLock()} and are read without a lock. The parent and the name are volatile too, so that
 * the file locator can name a file without the volume's lock.
 */
public final class Inode {

    private final long number;
    private final boolean directory;
    private final TreeMap<String, Inode> children;
    private final Object dataLock = new Object();
    private final FsLockTable locks = new FsLockTable();

    private volatile ExtentList extents = ExtentList.EMPTY;
    private volatile long size;
    private volatile long modifiedNanos;
    private volatile long accessNanos;
    private volatile long changedNanos;
    private volatile long createdNanos;
    private volatile Set<PosixFilePermission> permissions;
    /** Written under the volume's lock, read without it by the file locator. */
    private volatile Inode parent;
    private volatile String name;
    private volatile String unlinkedAs;
    private int links;
    private int openChannels;
    /** The file's page cache on the device's kernel path, once it has one. */
    private volatile FilePageCache pageCache;

    Inode(long number, boolean directory, Set<PosixFilePermission> permissions) {
        this.number = number;
        this.directory = directory;
        this.children = directory ? new TreeMap<>() : null;
        this.permissions = permissions.isEmpty() ? EnumSet.noneOf(PosixFilePermission.class) : EnumSet.copyOf(permissions);
        long now = Clock.nowNanos();
        this.modifiedNanos = now;
        this.accessNanos = now;
        this.changedNanos = now;
        this.createdNanos = now;
        this.links = 1;
    }

    /** The inode number, unique in its filesystem. */
    public long number() {
        return number;
    }

    /** Whether this is a directory. */
    public boolean isDirectory() {
        return directory;
    }

    /** The file's size in bytes. */
    public long size() {
        return size;
    }

    /** The block map of a regular file. */
    public ExtentList extents() {
        return extents;
    }

    Object dataLock() {
        return dataLock;
    }

    FsLockTable locks() {
        return locks;
    }

    FilePageCache pageCache() {
        return pageCache;
    }

    void pageCache(FilePageCache cache) {
        pageCache = cache;
    }

    void extents(ExtentList map) {
        extents = map;
    }

    void size(long bytes) {
        size = bytes;
    }

    /** After a write that ended at {@code end}: the size grows to it, and the times move. */
    void written(long end) {
        if (end > size) {
            synchronized (dataLock) {
                if (end > size) {
                    size = end;
                }
            }
        }
        long now = Clock.nowNanos();
        modifiedNanos = now;
        changedNanos = now;
    }

    void touch() {
        long now = Clock.nowNanos();
        modifiedNanos = now;
        changedNanos = now;
    }

    long modifiedNanos() {
        return modifiedNanos;
    }

    long accessNanos() {
        return accessNanos;
    }

    long changedNanos() {
        return changedNanos;
    }

    long createdNanos() {
        return createdNanos;
    }

    void times(Long modified, Long access, Long created) {
        if (modified != null) {
            modifiedNanos = modified;
        }
        if (access != null) {
            accessNanos = access;
        }
        if (created != null) {
            createdNanos = created;
        }
        changedNanos = Clock.nowNanos();
    }

    /** Sets permissions and every time as a restored image holds them. */
    void restoreMetadata(Set<PosixFilePermission> p, long modified, long access, long changed, long created) {
        permissions = p.isEmpty() ? EnumSet.noneOf(PosixFilePermission.class) : EnumSet.copyOf(p);
        modifiedNanos = modified;
        accessNanos = access;
        changedNanos = changed;
        createdNanos = created;
    }

    Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> p = permissions;
        return p.isEmpty() ? EnumSet.noneOf(PosixFilePermission.class) : EnumSet.copyOf(p);
    }

    void permissions(Set<PosixFilePermission> p) {
        permissions = p.isEmpty() ? EnumSet.noneOf(PosixFilePermission.class) : EnumSet.copyOf(p);
        changedNanos = Clock.nowNanos();
    }

    TreeMap<String, Inode> children() {
        return children;
    }

    Inode parent() {
        return parent;
    }

    void parent(Inode p) {
        parent = p;
    }

    /** The name in the parent directory (null for the root). */
    String name() {
        return name;
    }

    /** This inode is now {@code newName} in {@code dir}. */
    void named(Inode dir, String newName) {
        parent = dir;
        name = newName;
    }

    /** The path of the file's last name once that was removed, or null while it has one. */
    String unlinkedAs() {
        return unlinkedAs;
    }

    void unlinkedAs(String path) {
        unlinkedAs = path;
    }

    int links() {
        return links;
    }

    void links(int n) {
        links = n;
    }

    int openChannels() {
        return openChannels;
    }

    void openChannels(int n) {
        openChannels = n;
    }

    /** Wall-clock time in nanoseconds since the epoch, at millisecond resolution and without allocating. */
    static final class Clock {
        private Clock() {
        }

        static long nowNanos() {
            return System.currentTimeMillis() * 1_000_000L;
        }
    }
}
