package io.staleguard.device.fs.internal;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The namespace of a simulated filesystem at one moment, detached from the live volume: every inode reachable from
 * the root with its size, block map, permissions and times, and each directory's names. Immutable; a crash state's
 * image is built from another one with {@link #toBuilder()}. {@link Volume#snapshot()} takes one and
 * {@link Volume#restore(NamespaceImage)} makes the volume hold it. Inode {@value #ROOT} is the root directory.
 */
public final class NamespaceImage {

    /** The root directory's inode number. */
    public static final long ROOT = 1;

    /**
     * One inode. A directory has {@code size} 0 and no extents; a regular file has no children.
     *
     * @param children the names a directory holds, to inode numbers (empty for a file)
     */
    public record InodeImage(long number, boolean dir, long size, ExtentList extents,
                             Set<PosixFilePermission> permissions, long modifiedNanos, long accessNanos,
                             long changedNanos, long createdNanos, SortedMap<String, Long> children) {
        public InodeImage {
            if (number <= 0) {
                throw new IllegalArgumentException("inode number must be > 0, was " + number);
            }
            if (size < 0) {
                throw new IllegalArgumentException("inode " + number + ": size must be >= 0, was " + size);
            }
            Objects.requireNonNull(extents, "extents");
            permissions = permissions.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(PosixFilePermission.class))
                    : Collections.unmodifiableSet(EnumSet.copyOf(permissions));
            if (!dir && !children.isEmpty()) {
                throw new IllegalArgumentException("inode " + number + " is a file but holds names " + children.keySet());
            }
            children = Collections.unmodifiableSortedMap(new TreeMap<>(children));
        }

        /** A new, empty inode as the filesystem creates it now (files {@code rw-r--r--}, directories {@code rwxr-xr-x}). */
        public static InodeImage fresh(long number, boolean dir) {
            long now = Inode.Clock.nowNanos();
            return new InodeImage(number, dir, 0, ExtentList.EMPTY, dir ? Volume.DIRECTORY_MODE : Volume.FILE_MODE,
                    now, now, now, now, new TreeMap<>());
        }

        /** This inode with another size. */
        public InodeImage withSize(long newSize) {
            return new InodeImage(number, dir, newSize, extents, permissions, modifiedNanos, accessNanos, changedNanos,
                    createdNanos, children);
        }

        /** This inode with another block map. */
        public InodeImage withExtents(ExtentList map) {
            return new InodeImage(number, dir, size, map, permissions, modifiedNanos, accessNanos, changedNanos,
                    createdNanos, children);
        }

        /** This directory with other names. */
        public InodeImage withChildren(SortedMap<String, Long> names) {
            return new InodeImage(number, dir, size, extents, permissions, modifiedNanos, accessNanos, changedNanos,
                    createdNanos, names);
        }
    }

    private final Map<Long, InodeImage> inodes;
    private final long nextInode;

    /**
     * An image of {@code inodes} (which must hold the root directory, and every inode a directory names);
     * {@code nextInode} is the number the next created inode gets, at least one more than the largest here.
     */
    public NamespaceImage(Map<Long, InodeImage> inodes, long nextInode) {
        Map<Long, InodeImage> copy = new HashMap<>(inodes);
        InodeImage root = copy.get(ROOT);
        if (root == null || !root.dir()) {
            throw new IllegalArgumentException("a namespace image needs the root directory as inode " + ROOT);
        }
        long max = ROOT;
        for (Map.Entry<Long, InodeImage> e : copy.entrySet()) {
            InodeImage i = e.getValue();
            if (e.getKey() != i.number()) {
                throw new IllegalArgumentException("inode " + i.number() + " is filed as " + e.getKey());
            }
            max = Math.max(max, i.number());
            for (Map.Entry<String, Long> c : i.children().entrySet()) {
                if (!copy.containsKey(c.getValue())) {
                    throw new IllegalArgumentException("directory " + i.number() + " names '" + c.getKey()
                            + "' as inode " + c.getValue() + ", which the image does not hold");
                }
            }
        }
        if (nextInode <= max) {
            throw new IllegalArgumentException("nextInode must be > " + max + " (the largest inode), was " + nextInode);
        }
        this.inodes = Collections.unmodifiableMap(copy);
        this.nextInode = nextInode;
    }

    /** An image holding only an empty root directory. */
    public static NamespaceImage empty() {
        return new NamespaceImage(Map.of(ROOT, InodeImage.fresh(ROOT, true)), ROOT + 1);
    }

    /** Every inode of the image, by number. */
    public Map<Long, InodeImage> inodes() {
        return inodes;
    }

    /** The inode numbered {@code ino}, or null. */
    public InodeImage inode(long ino) {
        return inodes.get(ino);
    }

    /** The number the next created inode gets. */
    public long nextInode() {
        return nextInode;
    }

    /** The inode {@code path} names through every directory on the way, or -1 when a name is missing. */
    public long resolve(String path) {
        long at = ROOT;
        for (String name : path.split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            InodeImage dir = inodes.get(at);
            Long next = dir == null ? null : dir.children().get(name);
            if (next == null) {
                return -1;
            }
            at = next;
        }
        return at;
    }

    /** A builder that starts from this image. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String toString() {
        return "namespace image of " + inodes.size() + " inodes, next " + nextInode;
    }

    /**
     * Changes to an image, applied in the order they are made; the image it started from does not change. Not thread
     * safe.
     */
    public static final class Builder {

        private final Map<Long, InodeImage> inodes;
        private long nextInode;

        private Builder(NamespaceImage from) {
            this.inodes = new HashMap<>(from.inodes);
            this.nextInode = from.nextInode;
        }

        /** Adds or replaces an inode. */
        public Builder put(InodeImage inode) {
            inodes.put(inode.number(), inode);
            nextInode = Math.max(nextInode, inode.number() + 1);
            return this;
        }

        /** The inode numbered {@code ino} as the builder holds it now, or null. */
        public InodeImage get(long ino) {
            return inodes.get(ino);
        }

        /** Makes {@code name} in directory {@code parent} name {@code ino}, creating an empty inode if it is new. */
        public Builder link(long parent, String name, long ino, boolean dir) {
            InodeImage p = directory(parent);
            if (!inodes.containsKey(ino)) {
                put(InodeImage.fresh(ino, dir));
            }
            TreeMap<String, Long> names = new TreeMap<>(p.children());
            names.put(name, ino);
            inodes.put(parent, p.withChildren(names));
            return this;
        }

        /** Removes {@code name} from directory {@code parent} if it names {@code ino} (else nothing changes). */
        public Builder unlink(long parent, String name, long ino) {
            InodeImage p = inodes.get(parent);
            if (p != null && p.dir() && Long.valueOf(ino).equals(p.children().get(name))) {
                TreeMap<String, Long> names = new TreeMap<>(p.children());
                names.remove(name);
                inodes.put(parent, p.withChildren(names));
            }
            return this;
        }

        /** Sets a file's size. */
        public Builder size(long ino, long size) {
            inodes.put(ino, existing(ino).withSize(size));
            return this;
        }

        /** Sets a file's block map. */
        public Builder extents(long ino, ExtentList map) {
            inodes.put(ino, existing(ino).withExtents(map));
            return this;
        }

        /**
         * Maps the blocks of a recorded write's device run into file {@code ino}: file bytes
         * {@code [fileOffset, fileOffset + length)} lie on device bytes from {@code deviceOffset} (same offset in the
         * block, as this filesystem's extents are whole blocks). Blocks the file maps already are left as they are.
         *
         * @throws IllegalArgumentException if the two offsets are at different places in their blocks
         */
        public Builder mapRun(long ino, long fileOffset, long deviceOffset, long length, int blockSize) {
            if (fileOffset % blockSize != deviceOffset % blockSize) {
                throw new IllegalArgumentException("file offset " + fileOffset + " and device offset " + deviceOffset
                        + " are at different places in their " + blockSize + "-byte blocks");
            }
            if (length <= 0) {
                return this;
            }
            InodeImage f = existing(ino);
            ExtentList map = f.extents();
            long first = fileOffset / blockSize;
            long last = (fileOffset + length - 1) / blockSize;
            long device = deviceOffset / blockSize;
            for (long b = first; b <= last; ) {
                long run = Math.min(map.runFrom(b), last - b + 1);
                if (map.find(b) < 0) {
                    map = map.with(b, device + (b - first), run);
                }
                b += run;
            }
            inodes.put(ino, f.withExtents(map));
            return this;
        }

        /** Sets the number the next created inode gets (raised to one past the largest inode at {@link #build}). */
        public Builder nextInode(long next) {
            nextInode = next;
            return this;
        }

        /** The image. */
        public NamespaceImage build() {
            long max = ROOT;
            for (long k : inodes.keySet()) {
                max = Math.max(max, k);
            }
            return new NamespaceImage(inodes, Math.max(nextInode, max + 1));
        }

        private InodeImage existing(long ino) {
            InodeImage i = inodes.get(ino);
            if (i == null) {
                throw new IllegalArgumentException("no inode " + ino + " in the image");
            }
            return i;
        }

        private InodeImage directory(long ino) {
            InodeImage i = existing(ino);
            if (!i.dir()) {
                throw new IllegalArgumentException("inode " + ino + " is not a directory");
            }
            return i;
        }
    }
}
