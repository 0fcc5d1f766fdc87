package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Encodes and decodes protection-information tuples; every field is big-endian.
 *
 * <p>8-byte tuple (T10 DIF, DIX; {@link GuardAlgorithm#CRC16_T10DIF}, {@link GuardAlgorithm#IP_CHECKSUM}):
 * <pre>
 *   bytes 0-1  guard (16 bits)
 *   bytes 2-3  application tag
 *   bytes 4-7  reference tag (32 bits)
 * </pre>
 * 16-byte tuple, NVMe 32-bit guard ({@link GuardAlgorithm#CRC32C}):
 * <pre>
 *   bytes 0-3   guard (CRC-32C)
 *   bytes 4-5   application tag
 *   bytes 6-15  storage and reference space (80 bits). Staleguard uses it as an NVMe namespace
 *               with a 48-bit storage tag (bytes 6-11, written 0, never checked) and a 32-bit
 *               logical block reference tag (bytes 12-15).
 * </pre>
 * 16-byte tuple, NVMe 64-bit guard ({@link GuardAlgorithm#CRC64_NVME}), storage tag size 0:
 * <pre>
 *   bytes 0-7    guard (CRC-64/NVME)
 *   bytes 8-9    application tag
 *   bytes 10-15  reference tag (48 bits)
 * </pre>
 * Offsets are not range-checked beyond the JVM's array checks; callers validate sizes.
 */
@API(status = STABLE, since = "0.1")
public final class PiTuple {

    /** The application-tag escape value. */
    public static final int APP_ESCAPE = 0xFFFF;

    private PiTuple() {
    }

    /** Size in bytes of one tuple of {@code g} (8 or 16; 0 for NONE). */
    public static int size(GuardAlgorithm g) {
        return g.tupleSize();
    }

    /** Width in bits of the reference tag of {@code g}: 48 for CRC-64/NVME, else 32. */
    public static int refTagBits(GuardAlgorithm g) {
        return g == GuardAlgorithm.CRC64_NVME ? 48 : 32;
    }

    /** The all-ones reference tag (the Type 3 escape) of {@code g}. */
    public static long refTagMask(GuardAlgorithm g) {
        return g == GuardAlgorithm.CRC64_NVME ? 0xFFFF_FFFF_FFFFL : 0xFFFF_FFFFL;
    }

    /** Writes one tuple at {@code t[off]}; guard, app and ref are truncated to their field widths. */
    public static void encode(GuardAlgorithm g, byte[] t, int off, long guard, int appTag, long refTag) {
        switch (g) {
            case CRC16_T10DIF, IP_CHECKSUM -> {
                putBe(t, off, guard, 2);
                putBe(t, off + 2, appTag, 2);
                putBe(t, off + 4, refTag, 4);
            }
            case CRC32C -> {
                putBe(t, off, guard, 4);
                putBe(t, off + 4, appTag, 2);
                putBe(t, off + 6, 0, 6);
                putBe(t, off + 12, refTag, 4);
            }
            case CRC64_NVME -> {
                putBe(t, off, guard, 8);
                putBe(t, off + 8, appTag, 2);
                putBe(t, off + 10, refTag, 6);
            }
            case NONE -> throw new IllegalArgumentException("guard algorithm NONE has no tuple");
        }
    }

    /** The guard of the tuple at {@code t[off]}, zero-extended. */
    public static long guard(GuardAlgorithm g, byte[] t, int off) {
        return switch (g) {
            case CRC16_T10DIF, IP_CHECKSUM -> getBe(t, off, 2);
            case CRC32C -> getBe(t, off, 4);
            case CRC64_NVME -> getBe(t, off, 8);
            case NONE -> throw new IllegalArgumentException("guard algorithm NONE has no tuple");
        };
    }

    /** The application tag of the tuple at {@code t[off]}. */
    public static int appTag(GuardAlgorithm g, byte[] t, int off) {
        return (int) switch (g) {
            case CRC16_T10DIF, IP_CHECKSUM -> getBe(t, off + 2, 2);
            case CRC32C -> getBe(t, off + 4, 2);
            case CRC64_NVME -> getBe(t, off + 8, 2);
            case NONE -> throw new IllegalArgumentException("guard algorithm NONE has no tuple");
        };
    }

    /** The reference tag of the tuple at {@code t[off]} (32 or 48 bits, zero-extended). */
    public static long refTag(GuardAlgorithm g, byte[] t, int off) {
        return switch (g) {
            case CRC16_T10DIF, IP_CHECKSUM -> getBe(t, off + 4, 4);
            case CRC32C -> getBe(t, off + 12, 4);
            case CRC64_NVME -> getBe(t, off + 10, 6);
            case NONE -> throw new IllegalArgumentException("guard algorithm NONE has no tuple");
        };
    }

    private static void putBe(byte[] t, int off, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            t[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getBe(byte[] t, int off, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (t[off + i] & 0xFF);
        }
        return v;
    }
}
