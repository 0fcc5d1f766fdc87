package io.staleguard.device.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The O_DIRECT rules a file channel opened with {@code ExtendedOpenOption.DIRECT} applies before any I/O, in the
 * words of the raw device's checks: the file position, the bytes remaining and a direct buffer's address must be
 * multiples of the block size.
 */
final class DirectAlignment {

    private DirectAlignment() {
    }

    static void check(ByteBuffer b, long position, int blockSize) throws IOException {
        checkPosition(position, blockSize);
        checkBuffer(b, blockSize);
    }

    static void check(ByteBuffer[] bs, long position, int blockSize) throws IOException {
        checkPosition(position, blockSize);
        for (ByteBuffer b : bs) {
            checkBuffer(b, blockSize);
        }
    }

    static void checkPosition(long position, int blockSize) throws IOException {
        if (position % blockSize != 0) {
            throw new IOException("Channel position (" + position + ") is not a multiple of the block size ("
                    + blockSize + ")");
        }
    }

    private static void checkBuffer(ByteBuffer b, int blockSize) throws IOException {
        int pos = b.position();
        int rem = b.remaining();
        if (rem % blockSize != 0) {
            throw new IOException("Number of remaining bytes (" + rem + ") is not a multiple of the block size ("
                    + blockSize + ")");
        }
        // A heap buffer has no address to align: the JDK bounces it through an aligned one, and so does the device.
        if (b.isDirect()) {
            int alignmentOffset = b.alignmentOffset(pos, blockSize);
            if (alignmentOffset != 0) {
                throw new IOException("Current position of the bytebuffer (" + pos
                        + ") is not a multiple of the block size (" + blockSize + "): alignment offset = "
                        + alignmentOffset);
            }
        }
    }
}
