package io.staleguard.junit.kit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes and reads fixed-size records through a {@link FileChannel}. The buggy reader takes a single
 * {@code read} that returns fewer bytes than a record as the end of the data (the KAFKA-4576 pattern); the
 * correct one keeps reading until the record is complete.
 */
public final class RecordReader {

    public static final int RECORD = 4096;

    private RecordReader() {
    }

    /** Writes {@code n} records, record {@code i} filled with {@code i + 1}, continuing after short writes. */
    public static void writeRecords(FileChannel ch, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            ByteBuffer b = ByteBuffer.allocate(RECORD);
            while (b.hasRemaining()) {
                b.put((byte) (i + 1));
            }
            b.flip();
            long pos = (long) i * RECORD;
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
        }
    }

    /** Counts the records readable from offset 0, the buggy way: one read per record. */
    public static int countRecordsBuggy(FileChannel ch, int max) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        for (int i = 0; i < max; i++) {
            b.clear();
            int n = ch.read(b, (long) i * RECORD);
            if (n < RECORD) {
                return i; // "end of data"
            }
        }
        return max;
    }

    /** Counts the records readable from offset 0, continuing each short read. */
    public static int countRecordsCorrect(FileChannel ch, int max) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        for (int i = 0; i < max; i++) {
            b.clear();
            long pos = (long) i * RECORD;
            while (b.hasRemaining()) {
                int n = ch.read(b, pos);
                if (n < 0) {
                    return i;
                }
                pos += n;
            }
            if (b.get(0) != (byte) (i + 1)) {
                return i;
            }
        }
        return max;
    }
}
