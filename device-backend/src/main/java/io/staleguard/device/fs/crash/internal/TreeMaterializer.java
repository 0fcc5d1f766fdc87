package io.staleguard.device.fs.crash.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a filesystem tree into a {@link TreeImage} and writes an image back through the filesystem's own API. The
 * interim way a crash state reaches the simulated filesystem: O(bytes of the image) per state, where the device
 * overlay and volume restore cost O(blocks that differ).
 */
public final class TreeMaterializer {

    private TreeMaterializer() {
    }

    /** The tree under {@code root} (inode numbers from the file keys; the root is {@link TreeImage#ROOT}). */
    public static TreeImage read(Path root) throws IOException {
        TreeImage img = TreeImage.empty();
        readDir(root, img);
        return img;
    }

    private static void readDir(Path dir, TreeImage img) throws IOException {
        List<Path> kids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(kids::add);
        }
        kids.sort(null);
        for (Path p : kids) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            long ino = inodeOf(a);
            if (a.isDirectory()) {
                img.dir(p.toString(), ino);
                readDir(p, img);
            } else {
                img.file(p.toString(), ino, Files.readAllBytes(p));
            }
        }
    }

    private static long inodeOf(BasicFileAttributes a) {
        Object key = a.fileKey();
        if (key instanceof io.staleguard.device.fs.internal.FsFileKey k) {
            return k.inode();
        }
        throw new IllegalArgumentException("file key " + key + " is not a simulated filesystem's");
    }

    /**
     * Makes the tree under {@code root} hold exactly what {@code image} holds under its root (reachable entries
     * only), every file forced and every directory fsynced.
     */
    public static void write(Path root, TreeImage image) throws IOException {
        clear(root);
        writeDir(root, TreeImage.ROOT, image);
    }

    private static void clear(Path dir) throws IOException {
        List<Path> kids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(kids::add);
        }
        for (Path p : kids) {
            if (Files.isDirectory(p)) {
                clear(p);
            }
            Files.delete(p);
        }
    }

    private static void writeDir(Path dir, long ino, TreeImage image) throws IOException {
        for (Map.Entry<String, Long> e : image.children(ino).entrySet()) {
            Path p = dir.resolve(e.getKey());
            long child = e.getValue();
            if (image.isDirectory(child)) {
                Files.createDirectory(p);
                writeDir(p, child, image);
            } else {
                long size = image.size(child);
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer b = ByteBuffer.wrap(image.read(child, 0, Math.toIntExact(size)));
                    while (b.hasRemaining()) {
                        ch.write(b, b.position());
                    }
                    if (ch.size() < size) {
                        ch.truncate(size);
                    }
                    ch.force(true);
                }
            }
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // a filesystem without directory channels: the entries are in memory, nothing to sync
        }
    }
}
