package io.staleguard.junit.kit.crash;

import io.staleguard.junit.Crash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Replaces a manifest by writing {@code MANIFEST.tmp} and renaming it over {@code MANIFEST}. Two bugs can be
 * switched on: no force of the temp file before the rename, and no fsync of the directory after it.
 */
public final class ManifestSwap {

    /** The manifest's name. */
    public static final String MANIFEST = "MANIFEST";

    private final Path dir;
    private final boolean forceTemp;
    private final boolean syncDirectory;

    /**
     * @param dir           the directory holding the manifest
     * @param forceTemp     whether the temp file is forced before the rename (the twin does)
     * @param syncDirectory whether the directory is fsynced after the rename (the twin does)
     */
    public ManifestSwap(Path dir, boolean forceTemp, boolean syncDirectory) {
        this.dir = dir;
        this.forceTemp = forceTemp;
        this.syncDirectory = syncDirectory;
    }

    /** Makes {@code content} the manifest and acknowledges the manifest file. */
    public void replace(String content, Crash crash) throws IOException {
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Durably.writeFully(ch, encode(content), 0);
            if (forceTemp) {
                ch.force(true);
            }
        }
        Path manifest = dir.resolve(MANIFEST);
        Files.move(tmp, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (syncDirectory) {
            Durably.fsyncDirectory(dir);
        }
        crash.acknowledge(manifest);
    }

    /** The manifest's content; throws {@link IOException} when it is missing, short or fails its CRC. */
    public static String read(Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(MANIFEST)));
        if (b.remaining() < 8) {
            throw new IOException("manifest too short: " + b.remaining() + " bytes");
        }
        int length = b.getInt();
        int crc = b.getInt();
        if (length < 0 || length != b.remaining()) {
            throw new IOException("manifest length " + length + " but " + b.remaining() + " bytes follow");
        }
        byte[] body = new byte[length];
        b.get(body);
        CRC32C c = new CRC32C();
        c.update(body);
        if ((int) c.getValue() != crc) {
            throw new IOException("manifest crc mismatch");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static ByteBuffer encode(String content) {
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        CRC32C c = new CRC32C();
        c.update(body);
        ByteBuffer b = ByteBuffer.allocate(8 + body.length);
        b.putInt(body.length).putInt((int) c.getValue()).put(body).flip();
        return b;
    }
}
