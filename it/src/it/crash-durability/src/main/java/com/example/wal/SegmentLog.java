package com.example.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A log that rolls to a new segment file. The buggy one forces the new segment's data but never fsyncs the log's
 * directory, so after a power loss the acknowledged segment may not exist at all.
 */
public final class SegmentLog {

    static final int RECORD = 100;

    private final Path dir;
    private final boolean fsyncDirectory;

    public SegmentLog(Path dir, boolean fsyncDirectory) {
        this.dir = dir;
        this.fsyncDirectory = fsyncDirectory;
    }

    /** Creates segment {@code n}, writes {@code records} records and forces it; the caller may then acknowledge it. */
    public Path roll(int n, int records) throws IOException {
        Path seg = dir.resolve("seg-" + n + ".log");
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < records; i++) {
                ByteBuffer b = record(n, i);
                while (b.hasRemaining()) {
                    ch.write(b, (long) i * RECORD + b.position());
                }
            }
            ch.force(true);
        }
        if (fsyncDirectory) {
            fsync(dir);
        }
        return seg;
    }

    /** fsync(2) of a directory: what makes its new entries durable. */
    public static void fsync(Path directory) throws IOException {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    static ByteBuffer record(int n, int i) {
        byte[] b = new byte[RECORD];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] text = ("segment " + n + " record " + i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, b, 0, text.length);
        return ByteBuffer.wrap(b);
    }
}
