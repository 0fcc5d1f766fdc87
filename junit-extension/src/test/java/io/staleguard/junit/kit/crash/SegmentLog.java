package io.staleguard.junit.kit.crash;

import io.staleguard.junit.Crash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A segment log that rolls to a new segment file. The buggy one forces the new segment's data but never fsyncs
 * the log's directory, so the segment's directory entry is volatile when it acknowledges the segment.
 */
public final class SegmentLog {

    /** Bytes per record. */
    public static final int RECORD = 100;

    private final Path dir;
    private final boolean buggy;

    /** A log in {@code dir} (which exists, and is durable); {@code buggy} skips the directory fsync. */
    public SegmentLog(Path dir, boolean buggy) {
        this.dir = dir;
        this.buggy = buggy;
    }

    /** Creates segment {@code n}, writes {@code records} records, forces it and acknowledges the file. */
    public Path roll(int n, int records, Crash crash) throws IOException {
        Path seg = dir.resolve("seg-" + n + ".log");
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < records; i++) {
                Durably.writeFully(ch, record(n, i), (long) i * RECORD);
            }
            ch.force(true);
        }
        if (!buggy) {
            Durably.fsyncDirectory(dir);
        }
        crash.acknowledge(seg);
        return seg;
    }

    /** Record {@code i} of segment {@code n}: its text, space-padded to {@link #RECORD} bytes. */
    public static ByteBuffer record(int n, int i) {
        byte[] b = new byte[RECORD];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] text = ("segment " + n + " record " + i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, b, 0, text.length);
        return ByteBuffer.wrap(b);
    }
}
