package io.staleguard.device.fs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code copy} and {@code move} between two paths of the default filesystem that lie on different filesystems
 * (a routed directory and the host, or two routes): what the JDK does for a foreign target, a copy through
 * streams and, for a move, a delete of the source; {@code ATOMIC_MOVE} cannot cross, as {@code rename(2)} gives
 * EXDEV.
 */
public final class CrossFileSystemTransfer {

    private CrossFileSystemTransfer() {
    }

    /** Copies {@code source} to {@code target}; a directory is copied without its entries. */
    public static void copy(Path source, Path target, CopyOption... options) throws IOException {
        boolean replace = false;
        boolean attributes = false;
        boolean noFollow = false;
        for (CopyOption o : options) {
            if (o == StandardCopyOption.REPLACE_EXISTING) {
                replace = true;
            } else if (o == StandardCopyOption.COPY_ATTRIBUTES) {
                attributes = true;
            } else if (o == LinkOption.NOFOLLOW_LINKS) {
                noFollow = true;
            } else if (o == null) {
                throw new NullPointerException();
            } else {
                throw new UnsupportedOperationException("Unsupported copy option");
            }
        }
        LinkOption[] links = noFollow ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        BasicFileAttributes attrs = Files.readAttributes(source, BasicFileAttributes.class, links);
        if (attrs.isSymbolicLink()) {
            throw new IOException("Copying of symbolic links not supported");
        }
        if (replace) {
            Files.deleteIfExists(target);
        } else if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        if (attrs.isDirectory()) {
            Files.createDirectory(target);
        } else {
            try (InputStream in = Files.newInputStream(source)) {
                Files.copy(in, target);
            }
        }
        if (attributes) {
            Files.getFileAttributeView(target, BasicFileAttributeView.class)
                    .setTimes(attrs.lastModifiedTime(), attrs.lastAccessTime(), attrs.creationTime());
        }
    }

    /** Moves {@code source} to {@code target} by a copy and a delete; a non-empty directory cannot move. */
    public static void move(Path source, Path target, CopyOption... options) throws IOException {
        boolean replace = false;
        for (CopyOption o : options) {
            if (o == StandardCopyOption.ATOMIC_MOVE) {
                throw new AtomicMoveNotSupportedException(source.toString(), target.toString(),
                        "Invalid cross-device link");
            }
            if (o == StandardCopyOption.REPLACE_EXISTING) {
                replace = true;
            } else if (o == null) {
                throw new NullPointerException();
            } else if (o != LinkOption.NOFOLLOW_LINKS && o != StandardCopyOption.COPY_ATTRIBUTES) {
                throw new UnsupportedOperationException("Unsupported copy option");
            }
        }
        CopyOption[] copyOptions = replace
                ? new CopyOption[] {StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                    LinkOption.NOFOLLOW_LINKS}
                : new CopyOption[] {StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS};
        copy(source, target, copyOptions);
        try {
            Files.delete(source);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }
}
