package io.staleguard.device.core.internal;

import java.util.zip.CRC32C;

/**
 * The CRC-32C of each 512-byte sector of a block, and the block's own CRC-32C derived from them,
 * so that a verified write passes over its data once: the history oracle fingerprints sectors
 * (to tell a torn block from a corrupt one), the deferred guards fingerprint the block.
 *
 * <p>The block's CRC comes from the sectors' by CRC combination (as zlib's {@code crc32_combine}):
 * for a CRC whose initial value equals its final XOR, {@code crc(A || B) = Z(crc(A)) ^ crc(B)}, where
 * {@code Z} feeds 512 zero bytes through the bare register. {@code Z} is linear over GF(2), so it is
 * four table look-ups of 256 entries, built once from the CRC-32C polynomial.
 */
final class SectorCrcs {

    static final int SECTOR = 512;

    /** CRC-32C, reflected: x^32 + x^28 + x^27 + ... (Castagnoli). */
    private static final int POLY = 0x82F63B78;
    private static final int[] SHIFT = shiftTables();

    private SectorCrcs() {
    }

    /** The CRC-32C of each of the {@code sectors} sectors of {@code a[off...]} into {@code out[outOff...]}. */
    static void sectors(byte[] a, int off, int sectors, int[] out, int outOff) {
        CRC32C crc = new CRC32C(); // escape analysis removes it
        for (int s = 0; s < sectors; s++) {
            crc.reset();
            crc.update(a, off + s * SECTOR, SECTOR);
            out[outOff + s] = (int) crc.getValue();
        }
    }

    /** The CRC-32C (0 to 0xFFFFFFFF) of {@code sectors} consecutive sectors whose own CRCs are {@code crcs[off...]}. */
    static long combined(int[] crcs, int off, int sectors) {
        int c = crcs[off];
        for (int s = 1; s < sectors; s++) {
            c = shift(c) ^ crcs[off + s];
        }
        return c & 0xFFFF_FFFFL;
    }

    /** {@code c} fed through 512 zero bytes of the bare register. */
    private static int shift(int c) {
        int[] t = SHIFT;
        return t[c & 0xFF] ^ t[256 + ((c >>> 8) & 0xFF)] ^ t[512 + ((c >>> 16) & 0xFF)] ^ t[768 + (c >>> 24)];
    }

    private static int[] shiftTables() {
        // The operator's image of each of the 32 bits, then the tables by linearity.
        int[] bit = new int[32];
        for (int b = 0; b < 32; b++) {
            int r = 1 << b;
            for (int i = 0; i < SECTOR * 8; i++) {
                r = (r & 1) != 0 ? (r >>> 1) ^ POLY : r >>> 1;
            }
            bit[b] = r;
        }
        int[] t = new int[4 * 256];
        for (int k = 0; k < 4; k++) {
            for (int v = 0; v < 256; v++) {
                int x = 0;
                for (int j = 0; j < 8; j++) {
                    if ((v & (1 << j)) != 0) {
                        x ^= bit[8 * k + j];
                    }
                }
                t[256 * k + v] = x;
            }
        }
        return t;
    }
}
