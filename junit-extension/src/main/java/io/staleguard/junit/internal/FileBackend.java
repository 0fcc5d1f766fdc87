package io.staleguard.junit.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The FILE backend: a fresh temporary directory on the host filesystem for a {@code Path}, deleted when the
 * device closes. Block-device views on FILE come from {@code io.staleguard.device.file.FileDevice}.
 */
final class FileBackend implements BackendFactory {

    private final BlockDeviceOpener blockDevices;

    /** Opens block devices on FILE (a file device over an image in a temp dir). */
    interface BlockDeviceOpener {
        Opened open(DeviceSpec spec, long seed, String label, Path directory) throws Exception;
    }

    FileBackend(BlockDeviceOpener blockDevices) {
        this.blockDevices = blockDevices;
    }

    @Override
    public String unavailableReason(DeviceSpec spec) {
        return null;
    }

    @Override
    public Opened open(DeviceSpec spec, long seed, String label) throws Exception {
        Path dir = Files.createTempDirectory("staleguard-" + sanitize(label) + "-");
        if (spec.pathRoot()) {
            return new Opened(null, dir, () -> deleteTree(dir));
        }
        try {
            Opened o = blockDevices.open(spec, seed, label, dir);
            AutoCloseable inner = o.cleanup();
            return new Opened(o.device(), null, () -> {
                try {
                    if (inner != null) {
                        inner.close();
                    }
                } finally {
                    deleteTree(dir);
                }
            });
        } catch (Exception | Error e) {
            deleteTree(dir);
            throw e;
        }
    }

    static String sanitize(String label) {
        String s = label.replaceAll("[^A-Za-z0-9_.-]", "_");
        return s.length() > 40 ? s.substring(0, 40) : s;
    }

    /** Deletes a directory tree; best effort, never throws for files already gone. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
