package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.apiguardian.api.API;

/**
 * CRC-32C (Castagnoli), the NVMe 32-bit guard, with absolute-index helpers around
 * {@link java.util.zip.CRC32C} (hardware-accelerated by the JDK). Check value for ASCII
 * {@code "123456789"}: 0xE3069283.
 *
 * <p>Unlike {@link CRC32C#update(ByteBuffer)}, these never change a buffer's position.
 */
@API(status = STABLE, since = "0.1")
public final class Crc32c {

    /** CRC-32C of ASCII {@code "123456789"}. */
    public static final int CHECK = 0xE3069283;

    private Crc32c() {
    }

    /** CRC-32C of {@code b[off, off+len)}, as an unsigned value in a long. */
    public static long compute(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return c.getValue();
    }

    /** CRC-32C of {@code buf[off, off+len)} (absolute indexes; position and limit untouched). */
    public static long compute(ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.limit());
        if (buf.hasArray()) {
            return compute(buf.array(), buf.arrayOffset() + off, len);
        }
        CRC32C c = new CRC32C();
        c.update(buf.duplicate().limit(off + len).position(off));
        return c.getValue();
    }
}
