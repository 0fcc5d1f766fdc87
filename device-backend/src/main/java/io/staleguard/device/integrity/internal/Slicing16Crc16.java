package io.staleguard.device.integrity.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Slicing-by-16: sixteen 256-entry tables let one step consume 16 bytes read as two big-endian longs, instead of
 * one table look-up per byte. One dependency chain runs through the CRC, step after step; it is the reference the
 * faster engines are tested and measured against, and it does their tails.
 */
public final class Slicing16Crc16 implements Crc16Engine {

    /** The one instance. */
    public static final Slicing16Crc16 INSTANCE = new Slicing16Crc16();

    static final int POLY = 0x8BB7;
    /** Table k (at k*256) advances a byte followed by k zero bytes; char keeps all 16 in 8 KiB of L1. */
    static final char[] T = tables();
    static final VarHandle LONG_BE_ARRAY = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle LONG_BE_BUFFER = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Slicing16Crc16() {
    }

    private static char[] tables() {
        char[] t = new char[16 * 256];
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ POLY : crc << 1;
            }
            t[b] = (char) crc;
        }
        for (int k = 1; k < 16; k++) {
            for (int b = 0; b < 256; b++) {
                int prev = t[(k - 1) * 256 + b];
                t[k * 256 + b] = (char) ((prev << 8) ^ t[prev >>> 8]);
            }
        }
        return t;
    }

    @Override
    public int update(int crc, byte[] b, int off, int len) {
        return array(crc, b, off, len);
    }

    @Override
    public int update(int crc, ByteBuffer buf, int off, int len) {
        return buffer(crc, buf, off, len);
    }

    static int array(int crc, byte[] b, int off, int len) {
        int c = crc & 0xFFFF;
        int i = off;
        int end = off + len;
        char[] t = T;
        while (end - i >= 16) {
            long a = (long) LONG_BE_ARRAY.get(b, i) ^ ((long) c << 48);
            long d = (long) LONG_BE_ARRAY.get(b, i + 8);
            c = fold16(t, a, d);
            i += 16;
        }
        while (i < end) {
            c = ((c << 8) ^ t[((c >>> 8) ^ b[i++]) & 0xFF]) & 0xFFFF;
        }
        return c;
    }

    static int buffer(int crc, ByteBuffer buf, int off, int len) {
        int c = crc & 0xFFFF;
        int i = off;
        int end = off + len;
        char[] t = T;
        while (end - i >= 16) {
            long a = (long) LONG_BE_BUFFER.get(buf, i) ^ ((long) c << 48);
            long d = (long) LONG_BE_BUFFER.get(buf, i + 8);
            c = fold16(t, a, d);
            i += 16;
        }
        while (i < end) {
            c = ((c << 8) ^ t[((c >>> 8) ^ buf.get(i++)) & 0xFF]) & 0xFFFF;
        }
        return c;
    }

    /** The CRC of 16 bytes {@code a || d}, the running CRC already xored into the top of {@code a}. */
    static int fold16(char[] t, long a, long d) {
        return t[15 * 256 + (int) (a >>> 56)]
                ^ t[14 * 256 + ((int) (a >>> 48) & 0xFF)]
                ^ t[13 * 256 + ((int) (a >>> 40) & 0xFF)]
                ^ t[12 * 256 + ((int) (a >>> 32) & 0xFF)]
                ^ t[11 * 256 + ((int) (a >>> 24) & 0xFF)]
                ^ t[10 * 256 + ((int) (a >>> 16) & 0xFF)]
                ^ t[9 * 256 + ((int) (a >>> 8) & 0xFF)]
                ^ t[8 * 256 + ((int) a & 0xFF)]
                ^ t[7 * 256 + (int) (d >>> 56)]
                ^ t[6 * 256 + ((int) (d >>> 48) & 0xFF)]
                ^ t[5 * 256 + ((int) (d >>> 40) & 0xFF)]
                ^ t[4 * 256 + ((int) (d >>> 32) & 0xFF)]
                ^ t[3 * 256 + ((int) (d >>> 24) & 0xFF)]
                ^ t[2 * 256 + ((int) (d >>> 16) & 0xFF)]
                ^ t[256 + ((int) (d >>> 8) & 0xFF)]
                ^ t[(int) d & 0xFF];
    }
}
