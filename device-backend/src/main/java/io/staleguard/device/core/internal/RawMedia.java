package io.staleguard.device.core.internal;

import io.staleguard.device.integrity.ProtectionInformation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The media past every detector: what the short-transfer tracker and tests read back, and what
 * tests and page-cache writeback store. Still under the stripe locks, so a raw access never sees
 * half a block.
 */
final class RawMedia {

    private final CoreState s;

    RawMedia(CoreState state) {
        this.s = state;
    }

    /** Reads media bytes at any offset; bytes beyond the capacity read as zeros. */
    void readRaw(long offset, ByteBuffer dst) {
        int len = dst.remaining();
        if (len == 0) {
            return;
        }
        int blockSize = s.blockSize;
        long start = offset & -blockSize;
        long end = Math.min(s.capacity, (offset + len + blockSize - 1) & -blockSize);
        if (start >= end) {
            while (dst.hasRemaining()) {
                dst.put((byte) 0);
            }
            return;
        }
        byte[] tmp = new byte[(int) (end - start)];
        long lba = start >> s.blockShift;
        long count = (end - start) >> s.blockShift;
        s.locks.lock(lba, count);
        try {
            s.media.read(start, tmp, 0, tmp.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            s.locks.unlock(lba, count);
        }
        int from = (int) (offset - start);
        int avail = Math.max(0, Math.min(len, tmp.length - from));
        dst.put(tmp, from, avail);
        while (dst.hasRemaining()) {
            dst.put((byte) 0);
        }
    }

    /**
     * Overwrites whole blocks, as a faulty disk or firmware would, or as writeback stores what a
     * path verified itself. With {@code regenerateTuples} the blocks get fresh, matching
     * protection information carrying {@code appTag} (corruption PI cannot see); without it
     * their tuples stay as they were (so PI catches it on read).
     */
    void writeRawBlocks(long offset, byte[] data, boolean regenerateTuples, int appTag) throws IOException {
        int blockSize = s.blockSize;
        if (offset < 0 || offset % blockSize != 0 || data.length % blockSize != 0 || offset + data.length > s.capacity) {
            throw new IllegalArgumentException("raw write [" + offset + ",+" + data.length
                    + ") is not whole blocks of " + blockSize + " B within the capacity " + s.capacity);
        }
        long lba = offset >> s.blockShift;
        int blocks = data.length >> s.blockShift;
        s.locks.lock(lba, blocks);
        try {
            if (s.deferred.on() && !regenerateTuples) {
                // The tuples stay: their guards must be those of the data before it is changed behind them.
                s.piStore.resolve(lba, blocks);
            }
            s.media.write(offset, data, 0, data.length);
            if (s.piEnabled && regenerateTuples) {
                byte[] t = new byte[blocks * s.tupleSize];
                if (s.deferred.on()) {
                    long[] fingerprints = new long[blocks];
                    ProtectionInformation.generateDeferred(s.protection, ByteBuffer.wrap(data), blockSize, lba, 0, appTag,
                            t, 0, fingerprints, 0);
                    s.piStore.put(lba, t, 0, blocks, fingerprints, 0);
                } else {
                    ProtectionInformation.generate(s.protection, ByteBuffer.wrap(data), blockSize, lba, 0, appTag, t, 0);
                    s.piStore.put(lba, t, 0, blocks);
                }
            }
        } finally {
            s.locks.unlock(lba, blocks);
        }
    }

    /**
     * A misdirected writeback: {@code data}, whole blocks addressed at {@code addressed}, lands at {@code landing}
     * with the tuples generated for {@code addressed}, so the reference tag catches it where it landed.
     */
    void writeMisdirected(long addressed, long landing, byte[] data, int appTag) throws IOException {
        int blockSize = s.blockSize;
        if (landing < 0 || landing % blockSize != 0 || data.length % blockSize != 0
                || landing + data.length > s.capacity) {
            throw new IllegalArgumentException("misdirected write [" + landing + ",+" + data.length
                    + ") is not whole blocks of " + blockSize + " B within the capacity " + s.capacity);
        }
        long lba = landing >> s.blockShift;
        int blocks = data.length >> s.blockShift;
        byte[] t = null;
        if (s.piEnabled) {
            t = new byte[blocks * s.tupleSize];
            ProtectionInformation.generate(s.protection, ByteBuffer.wrap(data), blockSize, addressed >> s.blockShift,
                    0, appTag, t, 0);
        }
        s.locks.lock(lba, blocks);
        try {
            s.media.write(landing, data, 0, data.length);
            if (t != null) {
                s.piStore.put(lba, t, 0, blocks);
            }
        } finally {
            s.locks.unlock(lba, blocks);
        }
    }
}
