package io.staleguard.device.loop.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Optional;

/**
 * Who a file is, beyond its name: the inode and device the kernel reports for a loop device's
 * backing file, and a random creation id this code stamped on the file when it made it.
 *
 * <p>A name can be reused by another file; an inode can be reused after a delete; the creation id
 * (stored as a {@code user.} extended attribute where the filesystem allows) ties the two together.
 *
 * @param path       the absolute, normalized path
 * @param inode      st_ino
 * @param device     st_dev in glibc encoding
 * @param creationId the stamped creation id, or empty when the file carries none
 */
public record FileIdentity(Path path, long inode, long device, String creationId) {

    static final String CREATION_ATTR = "staleguard.creation-id";

    /** Reads the identity of an existing file. */
    public static FileIdentity of(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        long ino = ((Number) Files.getAttribute(abs, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
        long dev = ((Number) Files.getAttribute(abs, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
        return new FileIdentity(abs, ino, dev, readCreationId(abs).orElse(""));
    }

    /** Stamps {@code id} on the file; returns false when the filesystem has no user xattrs. */
    public static boolean stamp(Path file, String id) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            return false;
        }
        try {
            view.write(CREATION_ATTR, StandardCharsets.US_ASCII.encode(id));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Optional<String> readCreationId(Path file) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            return Optional.empty();
        }
        try {
            if (!view.list().contains(CREATION_ATTR)) {
                return Optional.empty();
            }
            ByteBuffer buf = ByteBuffer.allocate(view.size(CREATION_ATTR));
            view.read(CREATION_ATTR, buf);
            buf.flip();
            return Optional.of(StandardCharsets.US_ASCII.decode(buf).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** The "major:minor" form losetup prints for BACK-MAJ:MIN. */
    public String majorMinor() {
        long major = ((device >>> 8) & 0xfffL) | ((device >>> 32) & ~0xfffL);
        long minor = (device & 0xffL) | ((device >>> 12) & ~0xffL);
        return major + ":" + minor;
    }

    /** Whether {@code other} is the same file: same path, inode, device and creation id. */
    public boolean sameFileAs(FileIdentity other) {
        return path.equals(other.path) && inode == other.inode && device == other.device
                && creationId.equals(other.creationId);
    }
}
