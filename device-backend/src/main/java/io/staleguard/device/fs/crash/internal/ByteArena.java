package io.staleguard.device.fs.crash.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes every recorded write carried, appended in 1 MiB pages (no copy of what is already held when the arena
 * grows), up to a cap: a crash state's image copies a kept write's units back out of it. Not thread safe: the
 * persistence log serializes its calls.
 */
public final class ByteArena implements RecordedBytes {

    /** The default cap: 256 MiB. */
    public static final long DEFAULT_CAP = 256L << 20;

    static final int PAGE = 1 << 20;

    private final List<byte[]> pages = new ArrayList<>();
    private final long cap;
    private long size;

    /** An arena holding at most {@link #DEFAULT_CAP} bytes. */
    public ByteArena() {
        this(DEFAULT_CAP);
    }

    /** An arena holding at most {@code cap} bytes. */
    public ByteArena(long cap) {
        if (cap <= 0) {
            throw new IllegalArgumentException("cap must be > 0, was " + cap);
        }
        this.cap = cap;
    }

    /**
     * Appends {@code src}'s remaining bytes without moving its position; returns the offset they start at.
     *
     * @throws IllegalStateException when the bytes would pass the cap (nothing is appended)
     */
    public long put(ByteBuffer src) {
        int len = src.remaining();
        if (size + len > cap) {
            throw new IllegalStateException("crash log full: the workload wrote more than " + describe(cap)
                    + "; explore a shorter workload");
        }
        long start = size;
        int from = src.position();
        int done = 0;
        while (done < len) {
            int page = (int) (size / PAGE);
            int at = (int) (size % PAGE);
            if (page == pages.size()) {
                pages.add(new byte[PAGE]);
            }
            int n = Math.min(len - done, PAGE - at);
            src.get(from + done, pages.get(page), at, n);
            done += n;
            size += n;
        }
        return start;
    }

    @Override
    public void copy(long arenaOff, int len, byte[] dst, int dstOff) {
        if (arenaOff < 0 || len < 0 || arenaOff + len > size) {
            throw new IndexOutOfBoundsException("arena range [" + arenaOff + ", " + (arenaOff + len)
                    + ") is outside the " + size + " bytes recorded");
        }
        int done = 0;
        while (done < len) {
            long at = arenaOff + done;
            int n = (int) Math.min(len - done, PAGE - at % PAGE);
            System.arraycopy(pages.get((int) (at / PAGE)), (int) (at % PAGE), dst, dstOff + done, n);
            done += n;
        }
    }

    /** The bytes held. */
    public long size() {
        return size;
    }

    /** The most bytes it holds. */
    public long cap() {
        return cap;
    }

    private static String describe(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
}
