package io.staleguard.junit.internal;

import io.staleguard.device.ViolationKind;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * The self-verifying block format of the stamped rewriters, after fio's verify header: magic, offset,
 * generation, writer id and a CRC-32C of the payload, then a seeded payload.
 *
 * <pre>
 * 0  magic      8 bytes  "SGSTAMP1"
 * 8  offset     8 bytes  device offset of the block
 * 16 generation 8 bytes  1, 2, ... per block
 * 24 writer     4 bytes  rewriter index
 * 28 crc32c     4 bytes  of bytes [32, blockSize)
 * 32 payload
 * </pre>
 */
final class RewriterStamp {

    static final long MAGIC = 0x53475354414d5031L; // "SGSTAMP1"
    static final int HEADER = 32;

    private RewriterStamp() {
    }

    /** Fills {@code block[0, length)} with a stamp. */
    static void fill(ByteBuffer block, int length, long offset, long generation, int writer, SplittableRandom rnd) {
        for (int i = HEADER; i + 8 <= length; i += 8) {
            block.putLong(i, rnd.nextLong());
        }
        block.putLong(0, MAGIC);
        block.putLong(8, offset);
        block.putLong(16, generation);
        block.putInt(24, writer);
        block.putInt(28, crc(block, length));
    }

    static int crc(ByteBuffer block, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer payload = block.duplicate();
        payload.limit(length).position(HEADER);
        crc.update(payload);
        return (int) crc.getValue();
    }

    /**
     * What is wrong with a stamp read back.
     *
     * @param kind   {@code STALE_READ} for an older generation of the same writer, else {@code CORRUPT_READ}
     * @param detail what was found instead
     */
    record Problem(ViolationKind kind, String detail) {
    }

    /** What is wrong with a stamp read back from {@code offset}, or null when it is the expected generation. */
    static Problem check(ByteBuffer block, int length, long offset, long expectedGeneration, int writer) {
        long magic = block.getLong(0);
        if (magic != MAGIC) {
            return corrupt("no stamp magic (found 0x" + Long.toHexString(magic) + ")");
        }
        if (block.getLong(8) != offset) {
            return corrupt("stamp for offset " + block.getLong(8) + " found at " + offset + " (misdirected)");
        }
        if (block.getInt(28) != crc(block, length)) {
            return corrupt("payload CRC-32C mismatch (header 0x" + Integer.toHexString(block.getInt(28))
                    + ", payload 0x" + Integer.toHexString(crc(block, length)) + ")");
        }
        long gen = block.getLong(16);
        if (gen != expectedGeneration || block.getInt(24) != writer) {
            return new Problem(gen < expectedGeneration ? ViolationKind.STALE_READ : ViolationKind.CORRUPT_READ,
                    "generation " + gen + " of writer " + block.getInt(24) + ", expected generation "
                            + expectedGeneration + " of writer " + writer);
        }
        return null;
    }

    private static Problem corrupt(String detail) {
        return new Problem(ViolationKind.CORRUPT_READ, detail);
    }
}
