package io.staleguard.device.integrity.internal;

import static io.staleguard.device.integrity.internal.Slicing16Crc16.LONG_BE_ARRAY;
import static io.staleguard.device.integrity.internal.Slicing16Crc16.LONG_BE_BUFFER;
import static io.staleguard.device.integrity.internal.Slicing16Crc16.fold16;

import java.nio.ByteBuffer;

/**
 * Four independent slicing-by-16 streams over one block of {@value #BLOCK} bytes, each lane a contiguous quarter,
 * combined with precomputed shift tables: {@code crc(A || B) = shift(crc(A), |B|) ^ crc(B)} holds for this CRC
 * (initial value 0, no final xor), where {@code shift} advances a CRC register over {@code |B|} zero bytes, a
 * linear map of its 16 bits applied as two 256-entry look-ups.
 *
 * <p>Why: slicing-by-16 waits, every 16 bytes, for the CRC of the previous 16 (table look-ups whose index depends
 * on it); four lanes keep four such chains in flight and the CPU's load ports busy. The running CRC enters lane 0,
 * the other lanes start at 0; what is shorter than a block goes through {@link Slicing16Crc16}. A 512-byte block
 * keeps the interleaving for 512-byte protection intervals too.
 */
public final class InterleavedCrc16 implements Crc16Engine {

    /** The one instance. */
    public static final InterleavedCrc16 INSTANCE = new InterleavedCrc16();

    static final int LANE = 128;
    static final int BLOCK = 4 * LANE;
    private static final char[] T = Slicing16Crc16.T;
    /**
     * Shift tables: at (j-1)*512 the advance over j*LANE zero bytes, j = 1..3, of a register whose low byte is 0
     * (indexed by the high byte), then at +256 of a register whose high byte is 0 (indexed by the low byte).
     */
    private static final char[] Z = shiftTables();

    private InterleavedCrc16() {
    }

    private static char[] shiftTables() {
        char[] z = new char[3 * 512];
        for (int j = 1; j <= 3; j++) {
            for (int v = 0; v < 256; v++) {
                z[(j - 1) * 512 + v] = (char) advanceOverZeros(v << 8, j * LANE);
                z[(j - 1) * 512 + 256 + v] = (char) advanceOverZeros(v, j * LANE);
            }
        }
        return z;
    }

    /** The register {@code crc} after {@code n} zero bytes, one byte at a time: the definition, not fast. */
    static int advanceOverZeros(int crc, int n) {
        int c = crc & 0xFFFF;
        for (int k = 0; k < n; k++) {
            c = ((c << 8) ^ T[(c >>> 8) & 0xFF]) & 0xFFFF;
        }
        return c;
    }

    private static int shift(char[] z, int table, int c) {
        return z[table + (c >>> 8)] ^ z[table + 256 + (c & 0xFF)];
    }

    @Override
    public int update(int crc, byte[] b, int off, int len) {
        int c = crc & 0xFFFF;
        int i = off;
        int end = off + len;
        char[] t = T;
        char[] z = Z;
        while (end - i >= BLOCK) {
            int c0 = c;
            int c1 = 0;
            int c2 = 0;
            int c3 = 0;
            for (int p = i, stop = i + LANE; p < stop; p += 16) {
                c0 = fold16(t, (long) LONG_BE_ARRAY.get(b, p) ^ ((long) c0 << 48),
                        (long) LONG_BE_ARRAY.get(b, p + 8));
                c1 = fold16(t, (long) LONG_BE_ARRAY.get(b, p + LANE) ^ ((long) c1 << 48),
                        (long) LONG_BE_ARRAY.get(b, p + LANE + 8));
                c2 = fold16(t, (long) LONG_BE_ARRAY.get(b, p + 2 * LANE) ^ ((long) c2 << 48),
                        (long) LONG_BE_ARRAY.get(b, p + 2 * LANE + 8));
                c3 = fold16(t, (long) LONG_BE_ARRAY.get(b, p + 3 * LANE) ^ ((long) c3 << 48),
                        (long) LONG_BE_ARRAY.get(b, p + 3 * LANE + 8));
            }
            c = shift(z, 2 * 512, c0) ^ shift(z, 512, c1) ^ shift(z, 0, c2) ^ c3;
            i += BLOCK;
        }
        return Slicing16Crc16.array(c, b, i, end - i);
    }

    @Override
    public int update(int crc, ByteBuffer buf, int off, int len) {
        int c = crc & 0xFFFF;
        int i = off;
        int end = off + len;
        char[] t = T;
        char[] z = Z;
        while (end - i >= BLOCK) {
            int c0 = c;
            int c1 = 0;
            int c2 = 0;
            int c3 = 0;
            for (int p = i, stop = i + LANE; p < stop; p += 16) {
                c0 = fold16(t, (long) LONG_BE_BUFFER.get(buf, p) ^ ((long) c0 << 48),
                        (long) LONG_BE_BUFFER.get(buf, p + 8));
                c1 = fold16(t, (long) LONG_BE_BUFFER.get(buf, p + LANE) ^ ((long) c1 << 48),
                        (long) LONG_BE_BUFFER.get(buf, p + LANE + 8));
                c2 = fold16(t, (long) LONG_BE_BUFFER.get(buf, p + 2 * LANE) ^ ((long) c2 << 48),
                        (long) LONG_BE_BUFFER.get(buf, p + 2 * LANE + 8));
                c3 = fold16(t, (long) LONG_BE_BUFFER.get(buf, p + 3 * LANE) ^ ((long) c3 << 48),
                        (long) LONG_BE_BUFFER.get(buf, p + 3 * LANE + 8));
            }
            c = shift(z, 2 * 512, c0) ^ shift(z, 512, c1) ^ shift(z, 0, c2) ^ c3;
            i += BLOCK;
        }
        return Slicing16Crc16.buffer(c, buf, i, end - i);
    }
}
