package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * CRC-16/T10-DIF, the guard of T10 DIF protection information: polynomial 0x8BB7, initial value
 * 0, not reflected, final xor 0. The check value for ASCII {@code "123456789"} is 0xD0DB.
 *
 * <p>Pure Java, slicing-by-16: sixteen 256-entry tables let one step consume 16 bytes read as two
 * big-endian longs, instead of one table look-up per byte and a dependency chain through the
 * CRC on every byte.
 *
 * <p>All methods are thread-safe and never change a buffer's position, limit or byte order.
 * Results are in the low 16 bits of the returned {@code int}.
 */
@API(status = STABLE, since = "0.1")
public final class Crc16T10Dif {

    /** CRC-16/T10-DIF of ASCII {@code "123456789"}. */
    public static final int CHECK = 0xD0DB;

    private static final int POLY = 0x8BB7;
    /** Table k (at k*256) advances a byte followed by k zero bytes; char keeps all 16 in 8 KiB of L1. */
    private static final char[] T = tables();
    private static final VarHandle LONG_BE_ARRAY =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE_BUFFER =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Crc16T10Dif() {
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

    /** CRC-16/T10-DIF of {@code b[off, off+len)}. */
    public static int compute(byte[] b, int off, int len) {
        return update(0, b, off, len);
    }

    /**
     * CRC-16/T10-DIF of {@code buf[off, off+len)} (absolute indexes; position, limit and order are
     * not used nor changed). Fast for heap, read-only and direct buffers alike.
     */
    public static int compute(ByteBuffer buf, int off, int len) {
        return update(0, buf, off, len);
    }

    /** Continues a CRC: {@code update(compute(a), b) == compute(a + b)}. */
    public static int update(int crc, byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
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

    /** Continues a CRC over {@code buf[off, off+len)}, absolute, see {@link #compute(ByteBuffer, int, int)}. */
    public static int update(int crc, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.limit());
        if (buf.hasArray()) {
            return update(crc, buf.array(), buf.arrayOffset() + off, len);
        }
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

    private static int fold16(char[] t, long a, long d) {
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
