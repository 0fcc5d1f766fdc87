package io.staleguard.junit.kit.crash;

import io.staleguard.junit.Crash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A write-ahead log of framed records (length, crc32c, payload; {@value #RECORD} bytes each), forced in batches and
 * acknowledged after each force as {@code "upto-<n>"}. The buggy recovery throws on a torn or zero-filled last
 * record; its twin ends the log at the first short or bad record, as a log whose tail was never acknowledged must.
 */
public final class FramedWal {

    /** Bytes per record, frame included. */
    public static final int RECORD = 700;
    /** Bytes of payload per record. */
    public static final int PAYLOAD = RECORD - 8;
    /** The prefix of the keys the log acknowledges: {@code "upto-10"} means records 1..10 are durable. */
    public static final String ACK = "upto-";

    /** What the buggy recovery throws on a bad record. */
    public static final class CorruptRecordException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptRecordException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final boolean buggy;

    /** A log at {@code file} (which exists, and is durable); {@code buggy} recovers strictly. */
    public FramedWal(Path file, boolean buggy) {
        this.file = file;
        this.buggy = buggy;
    }

    /** Appends {@code records} records, forcing ({@code force(false)}) and acknowledging every {@code batch}. */
    public void append(int records, int batch, Crash crash) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int r = 0; r < records; r++) {
                Durably.writeFully(ch, frame(r), (long) r * RECORD);
                if (r % batch == batch - 1) {
                    ch.force(false);
                    crash.acknowledge(ACK + (r + 1));
                }
            }
        }
    }

    /** The number of whole, intact records from the start; the buggy log throws on a short or bad one instead. */
    public int recover() throws IOException {
        int good = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            for (long at = 0; at < size; at += RECORD) {
                ByteBuffer b = ByteBuffer.allocate(RECORD);
                while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
                    // read the whole frame, or what the file holds of it
                }
                if (!intact(b.flip())) {
                    if (buggy) {
                        throw new CorruptRecordException("record " + (good + 1) + " at " + at + " is torn or "
                                + "zero-filled");
                    }
                    break;
                }
                good++;
            }
        }
        return good;
    }

    /** The highest {@code n} of the {@code "upto-<n>"} keys in {@code acknowledged}, 0 without one. */
    public static int acknowledged(Iterable<String> acknowledged) {
        int n = 0;
        for (String k : acknowledged) {
            if (k.startsWith(ACK)) {
                n = Math.max(n, Integer.parseInt(k.substring(ACK.length())));
            }
        }
        return n;
    }

    private static boolean intact(ByteBuffer b) {
        if (b.remaining() != RECORD || b.getInt(0) != PAYLOAD) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 8, PAYLOAD);
        return (int) crc.getValue() == b.getInt(4);
    }

    private static ByteBuffer frame(int r) {
        byte[] p = new byte[PAYLOAD];
        Arrays.fill(p, (byte) (r + 1));
        CRC32C crc = new CRC32C();
        crc.update(p);
        return ByteBuffer.allocate(RECORD).putInt(PAYLOAD).putInt((int) crc.getValue()).put(p).flip();
    }
}
