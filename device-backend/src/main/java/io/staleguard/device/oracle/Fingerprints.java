package io.staleguard.device.oracle;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Per-sector CRC-32C fingerprints. CRC-32C is hardware accelerated by the JDK; per-sector values
 * let the oracle tell a torn block (sectors of different versions) from a corrupt one.
 */
final class Fingerprints {

    static final int SECTOR = 512;

    private static final ThreadLocal<Fingerprints> LOCAL = ThreadLocal.withInitial(Fingerprints::new);

    private final CRC32C crc = new CRC32C();
    /** Scratch for one block's fingerprints; grown on demand. */
    private int[] scratch = new int[8];

    static Fingerprints local() {
        return LOCAL.get();
    }

    int[] scratch(int sectors) {
        if (scratch.length < sectors) {
            scratch = new int[sectors];
        }
        return scratch;
    }

    /** Fingerprints the sectors of {@code buf[pos, pos + sectors*512)} into {@code out[0..sectors)}. */
    void sectors(ByteBuffer buf, int pos, int sectors, int[] out) {
        if (buf.hasArray()) {
            byte[] a = buf.array();
            int base = buf.arrayOffset() + pos;
            for (int s = 0; s < sectors; s++) {
                crc.reset();
                crc.update(a, base + s * SECTOR, SECTOR);
                out[s] = (int) crc.getValue();
            }
        } else {
            ByteBuffer d = buf.duplicate();
            for (int s = 0; s < sectors; s++) {
                int from = pos + s * SECTOR;
                d.limit(from + SECTOR).position(from);
                crc.reset();
                crc.update(d);
                out[s] = (int) crc.getValue();
            }
        }
    }

    /** CRC-32C of {@code length} bytes of {@code buf} from {@code pos}, without moving it. */
    static int crc(CRC32C crc, ByteBuffer buf, int pos, int length) {
        crc.reset();
        update(crc, buf, pos, length);
        return (int) crc.getValue();
    }

    static void update(CRC32C crc, ByteBuffer buf, int pos, int length) {
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + pos, length);
        } else {
            ByteBuffer d = buf.duplicate();
            d.limit(pos + length).position(pos);
            crc.update(d);
        }
    }

    /** The fingerprint of a sector of zeros. */
    static final int ZERO_SECTOR;

    static {
        CRC32C c = new CRC32C();
        c.update(new byte[SECTOR]);
        ZERO_SECTOR = (int) c.getValue();
    }

    private Fingerprints() {
    }
}
