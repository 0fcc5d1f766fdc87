package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The 16-bit ones'-complement Internet checksum (RFC 1071), the DIX guard when the block layer
 * uses {@code guard=1} ({@code t10_pi_ip_fn}, which is {@code ip_compute_csum()} over one
 * protection interval).
 *
 * <p>Byte order, precisely: the data is read as a sequence of <em>big-endian</em> 16-bit words
 * (byte {@code 2k} is the high byte of word {@code k}; an odd trailing byte is the high byte of a
 * last word whose low byte is 0). The words are added in ones'-complement arithmetic (end-around
 * carry) and the sum is complemented. The result is the value whose big-endian encoding equals
 * the two bytes Linux stores in the {@code __be16 guard_tag}, on any host: the kernel sums native
 * words but the ones'-complement sum commutes with byte swapping, so the bytes in memory are
 * the same. All-zero data therefore gives 0xFFFF; the complement of an all-ones-summing block
 * gives 0x0000.
 *
 * <p>Thread-safe; never changes a buffer's position, limit or order.
 */
@API(status = STABLE, since = "0.1")
public final class IpChecksum {

    private static final VarHandle LONG_BE_ARRAY =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE_BUFFER =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private IpChecksum() {
    }

    /** The checksum of {@code b[off, off+len)}, in the low 16 bits. */
    public static int compute(byte[] b, int off, int len) {
        return finish(partial(0, b, off, len));
    }

    /** The checksum of {@code buf[off, off+len)}, absolute indexes, in the low 16 bits. */
    public static int compute(ByteBuffer buf, int off, int len) {
        return finish(partial(0, buf, off, len));
    }

    /**
     * Adds {@code b[off, off+len)} to an unfolded running sum (start with 0), like the kernel's
     * {@code csum_partial}. Chained pieces must each have an even length except the last.
     * Finish with {@link #finish(long)}.
     */
    public static long partial(long sum, byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        // Sums of 32-bit big-endian words fold to the same 16-bit ones'-complement sum (2^16 = 1 mod 0xFFFF);
        // each long adds two such words, and a long accumulator cannot overflow for any int length.
        long s = fold(sum);
        int i = off;
        int end = off + len;
        while (end - i >= 8) {
            long x = (long) LONG_BE_ARRAY.get(b, i);
            s += (x >>> 32) + (x & 0xFFFFFFFFL);
            i += 8;
        }
        while (end - i >= 2) {
            s += (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
            i += 2;
        }
        if (i < end) {
            s += (b[i] & 0xFF) << 8;
        }
        return s;
    }

    /** Adds {@code buf[off, off+len)} (absolute) to a running sum, see {@link #partial(long, byte[], int, int)}. */
    public static long partial(long sum, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.limit());
        if (buf.hasArray()) {
            return partial(sum, buf.array(), buf.arrayOffset() + off, len);
        }
        long s = fold(sum);
        int i = off;
        int end = off + len;
        while (end - i >= 8) {
            long x = (long) LONG_BE_BUFFER.get(buf, i);
            s += (x >>> 32) + (x & 0xFFFFFFFFL);
            i += 8;
        }
        while (end - i >= 2) {
            s += (buf.get(i) & 0xFF) << 8 | (buf.get(i + 1) & 0xFF);
            i += 2;
        }
        if (i < end) {
            s += (buf.get(i) & 0xFF) << 8;
        }
        return s;
    }

    /** Folds a running sum to 16 bits with end-around carry and complements it ({@code csum_fold}). */
    public static int finish(long sum) {
        return (int) ~fold(sum) & 0xFFFF;
    }

    private static long fold(long sum) {
        long s = sum;
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return s;
    }
}
