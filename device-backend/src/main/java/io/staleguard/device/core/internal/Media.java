package io.staleguard.device.core.internal;

import java.io.IOException;

/**
 * What a backend implements under the verifying front end: whole blocks in and out of its
 * storage. The front end owns protection information, the oracle and the locks, so a media stores
 * data only. Offsets and lengths are block aligned, and the blocks' stripe locks are held.
 */
public interface Media {

    /** Copies {@code len} media bytes from {@code offset} into {@code dst[off...]}; never-written media reads as zeros. */
    void read(long offset, byte[] dst, int off, int len) throws IOException;

    /** Writes {@code len} bytes from {@code src[off...]} to the media at {@code offset}. */
    void write(long offset, byte[] src, int off, int len) throws IOException;

    /** Makes written media durable (a cache flush); by {@code flush()} and a channel's {@code force}. */
    default void flush() throws IOException {
    }

    /** After a device-wide {@code flush()} finished (a backend that saves state alongside its data). */
    default void flushed() throws IOException {
    }

    /** Releases the media; called once, after in-flight operations finished. */
    default void close() throws IOException {
    }

    /**
     * Where a write's data actually lands: where it was addressed, unless a test misdirects it to
     * another block-aligned offset (which the reference tag then catches).
     */
    default long landingOffset(IoOp op) {
        return op.offset();
    }

    /**
     * Whether each landed range is read back and verified: for media behind a kernel that could
     * change the data on its way; otherwise the front end verifies the bytes it hands over.
     */
    default boolean verifyByReadBack() {
        return false;
    }

    /**
     * Whether the media changes only through the front end, so that a block reads back what was last
     * written to it: then the guards of its protection information may be computed when first needed
     * (a CRC-32C fingerprint stands for each until then) instead of at every write. Not for media that
     * another process or a kernel can change.
     */
    default boolean changesOnlyThroughFrontEnd() {
        return false;
    }

    /**
     * Copies the bytes as last written through the front end, as {@link #read} does but without any
     * injected read fault (a flipped bit is a fault of the read, not of what was stored): what a deferred
     * guard is computed from.
     */
    default void readStored(long offset, byte[] dst, int off, int len) throws IOException {
        read(offset, dst, off, len);
    }

    /** The backend part of the device's description; null: the backend's name. */
    default String describe() {
        return null;
    }
}
