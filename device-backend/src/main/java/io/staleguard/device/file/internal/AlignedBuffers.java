package io.staleguard.device.file.internal;

import java.nio.ByteBuffer;

/** Direct buffers whose address is a multiple of a block size, as O_DIRECT requires. */
public final class AlignedBuffers {

    private AlignedBuffers() {
    }

    /** A direct buffer of exactly {@code size} bytes whose address is aligned to {@code alignment}. */
    public static ByteBuffer allocate(int size, int alignment) {
        if (Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment " + alignment + " is not a power of two");
        }
        ByteBuffer b = ByteBuffer.allocateDirect(size + alignment).alignedSlice(alignment);
        return b.limit(size).slice();
    }

    /** Whether {@code b}'s current position sits at an address aligned to {@code alignment}. */
    public static boolean aligned(ByteBuffer b, int alignment) {
        return b.isDirect() && b.alignmentOffset(b.position(), alignment) == 0;
    }
}
