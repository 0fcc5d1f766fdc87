package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * CRC-64/NVME, the guard of NVMe 64-bit-guard protection information: reflected polynomial
 * 0x9A6C9329AC4BC9B5 (0xAD93D23594C93659 unreflected), initial value and final xor all ones.
 * The check value for ASCII {@code "123456789"} is 0xAE8B14860A799888. This is the kernel's
 * {@code crc64_nvme()} (formerly {@code crc64_rocksoft}) started from 0.
 *
 * <p>Pure Java, slicing-by-16 over little-endian longs. Thread-safe; never changes a buffer's
 * position, limit or order.
 */
@API(status = STABLE, since = "0.1")
public final class Crc64Nvme {

    /** CRC-64/NVME of ASCII {@code "123456789"}. */
    public static final long CHECK = 0xAE8B14860A799888L;

    private static final long POLY_REFLECTED = 0x9A6C9329AC4BC9B5L;
    /** Table k (at k*256) advances a byte followed by k zero bytes. */
    private static final long[] T = tables();
    private static final VarHandle LONG_LE_ARRAY =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE_BUFFER =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Crc64Nvme() {
    }

    private static long[] tables() {
        long[] t = new long[16 * 256];
        for (int b = 0; b < 256; b++) {
            long crc = b;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            t[b] = crc;
        }
        for (int k = 1; k < 16; k++) {
            for (int b = 0; b < 256; b++) {
                long prev = t[(k - 1) * 256 + b];
                t[k * 256 + b] = (prev >>> 8) ^ t[(int) prev & 0xFF];
            }
        }
        return t;
    }

    /** CRC-64/NVME of {@code b[off, off+len)}. */
    public static long compute(byte[] b, int off, int len) {
        return update(0, b, off, len);
    }

    /** CRC-64/NVME of {@code buf[off, off+len)}, absolute indexes. */
    public static long compute(ByteBuffer buf, int off, int len) {
        return update(0, buf, off, len);
    }

    /**
     * Continues a CRC: {@code update(compute(a), b) == compute(a + b)}; {@code update(0, x)} equals
     * {@code compute(x)} (the pre- and post-inversion are applied inside).
     */
    public static long update(long crc, byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        long c = ~crc;
        int i = off;
        int end = off + len;
        long[] t = T;
        while (end - i >= 16) {
            long a = (long) LONG_LE_ARRAY.get(b, i) ^ c;
            long d = (long) LONG_LE_ARRAY.get(b, i + 8);
            c = fold16(t, a, d);
            i += 16;
        }
        while (i < end) {
            c = (c >>> 8) ^ t[((int) c ^ b[i++]) & 0xFF];
        }
        return ~c;
    }

    /** Continues a CRC over {@code buf[off, off+len)}, absolute indexes. */
    public static long update(long crc, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.limit());
        if (buf.hasArray()) {
            return update(crc, buf.array(), buf.arrayOffset() + off, len);
        }
        long c = ~crc;
        int i = off;
        int end = off + len;
        long[] t = T;
        while (end - i >= 16) {
            long a = (long) LONG_LE_BUFFER.get(buf, i) ^ c;
            long d = (long) LONG_LE_BUFFER.get(buf, i + 8);
            c = fold16(t, a, d);
            i += 16;
        }
        while (i < end) {
            c = (c >>> 8) ^ t[((int) c ^ buf.get(i++)) & 0xFF];
        }
        return ~c;
    }

    private static long fold16(long[] t, long a, long d) {
        return t[15 * 256 + ((int) a & 0xFF)]
                ^ t[14 * 256 + ((int) (a >>> 8) & 0xFF)]
                ^ t[13 * 256 + ((int) (a >>> 16) & 0xFF)]
                ^ t[12 * 256 + ((int) (a >>> 24) & 0xFF)]
                ^ t[11 * 256 + ((int) (a >>> 32) & 0xFF)]
                ^ t[10 * 256 + ((int) (a >>> 40) & 0xFF)]
                ^ t[9 * 256 + ((int) (a >>> 48) & 0xFF)]
                ^ t[8 * 256 + (int) (a >>> 56)]
                ^ t[7 * 256 + ((int) d & 0xFF)]
                ^ t[6 * 256 + ((int) (d >>> 8) & 0xFF)]
                ^ t[5 * 256 + ((int) (d >>> 16) & 0xFF)]
                ^ t[4 * 256 + ((int) (d >>> 24) & 0xFF)]
                ^ t[3 * 256 + ((int) (d >>> 32) & 0xFF)]
                ^ t[2 * 256 + ((int) (d >>> 40) & 0xFF)]
                ^ t[256 + ((int) (d >>> 48) & 0xFF)]
                ^ t[(int) (d >>> 56)];
    }
}
