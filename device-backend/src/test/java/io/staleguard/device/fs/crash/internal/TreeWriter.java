package io.staleguard.device.fs.crash.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link TreeImage} through a filesystem's own API, every file forced and every directory fsynced: how the
 * tests' hand-made targets put an image on a filesystem (the simulated filesystem's target mounts an overlay).
 */
final class TreeWriter {

    private TreeWriter() {
    }

    /**
     * Makes the tree under {@code root} hold exactly what {@code image} holds under its root (reachable entries
     * only), every file forced and every directory fsynced.
     */
    static void write(Path root, TreeImage image) throws IOException {
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
