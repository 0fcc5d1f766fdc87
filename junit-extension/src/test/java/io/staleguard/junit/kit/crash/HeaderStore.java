package io.staleguard.junit.kit.crash;

import io.staleguard.junit.Crash;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A store whose file starts with a {@value #HEADER}-byte header (magic, version, crc32c). Creating it is two steps:
 * the file is created and its directory fsynced, then the header is written and forced. A crash between them leaves
 * an empty file (or, where a size persists without its data, a zero-filled one). The buggy open reads the header
 * of any file that exists and throws on such a file; its twin treats a file without a valid header as a store that
 * was never finished, and creates it again.
 */
public final class HeaderStore {

    /** Bytes of the header. */
    public static final int HEADER = 64;
    /** The first bytes of a header. */
    public static final long MAGIC = 0x5354_414C_4547_4844L;
    /** The acknowledgement the store gives once created. */
    public static final String CREATED = "store created";

    /** What the buggy open throws on a header that does not verify. */
    public static final class CorruptHeaderException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptHeaderException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final boolean buggy;

    /** The store at {@code file} (its directory exists, and is durable); {@code buggy} opens strictly. */
    public HeaderStore(Path file, boolean buggy) {
        this.file = file;
        this.buggy = buggy;
    }

    /** Creates the store: the file and its directory entry, then the header, forced; acknowledges {@link #CREATED}. */
    public void create(Crash crash) throws IOException {
        Files.createFile(file);
        Durably.fsyncDirectory(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            Durably.writeFully(ch, header(1), 0);
            ch.force(true);
        }
        crash.acknowledge(CREATED);
    }

    /**
     * Opens the store after a crash: its version, or 0 when there is no store (no file; for the twin also a file
     * without a valid header, which it creates again).
     */
    public int open() throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] h = new byte[HEADER];
        if (buggy) {
            try (InputStream in = Files.newInputStream(file)) {
                new DataInputStream(in).readFully(h);
            }
            return parse(ByteBuffer.wrap(h));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(h);
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // read what the file holds of the header
            }
            if (!b.hasRemaining() && valid(b.flip())) {
                return b.getInt(8);
            }
            // Created but never finished: no client was told of it, so it is made again.
            ch.truncate(0);
            Durably.writeFully(ch, header(1), 0);
            ch.force(true);
            return 0;
        }
    }

    private static int parse(ByteBuffer b) throws CorruptHeaderException {
        if (!valid(b)) {
            throw new CorruptHeaderException("header of the store does not verify: magic 0x"
                    + Long.toHexString(b.getLong(0)));
        }
        return b.getInt(8);
    }

    private static boolean valid(ByteBuffer b) {
        if (b.getLong(0) != MAGIC) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, HEADER - 4);
        return (int) crc.getValue() == b.getInt(HEADER - 4);
    }

    private static ByteBuffer header(int version) {
        ByteBuffer b = ByteBuffer.allocate(HEADER).putLong(MAGIC).putInt(version);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, HEADER - 4);
        return b.putInt(HEADER - 4, (int) crc.getValue()).position(HEADER).flip();
    }
}
