package io.staleguard.device.sim.internal;

import io.staleguard.device.core.internal.IoOp;
import io.staleguard.device.core.internal.Media;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * In-memory media allocated lazily in chunks: creating a device of any size costs one small
 * directory array; a chunk is allocated (zeroed) when first written. Never-written bytes read as
 * zeros. Callers serialise access to each block (the front end's stripe locks). Writes a test
 * misdirected ({@link io.staleguard.device.sim.MediaTamper#misdirectNextWrite}) land where the test said.
 */
public final class ChunkedMedia implements Media {

    static final int CHUNK_SHIFT = 18;
    static final int CHUNK = 1 << CHUNK_SHIFT;

    private final long capacity;
    private final AtomicReferenceArray<byte[]> chunks;
    private final ConcurrentHashMap<Long, Long> misdirections = new ConcurrentHashMap<>();

    public ChunkedMedia(long capacity) {
        long n = (capacity + CHUNK - 1) >>> CHUNK_SHIFT;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("capacity " + capacity + " bytes is too large for the simulated media");
        }
        this.capacity = capacity;
        this.chunks = new AtomicReferenceArray<>((int) n);
    }

    public long capacity() {
        return capacity;
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) {
        while (len > 0) {
            int ci = (int) (offset >>> CHUNK_SHIFT);
            int co = (int) (offset & (CHUNK - 1));
            int n = Math.min(len, CHUNK - co);
            byte[] c = chunks.get(ci);
            if (c == null) {
                Arrays.fill(dst, off, off + n, (byte) 0);
            } else {
                System.arraycopy(c, co, dst, off, n);
            }
            offset += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) {
        while (len > 0) {
            int ci = (int) (offset >>> CHUNK_SHIFT);
            int co = (int) (offset & (CHUNK - 1));
            int n = Math.min(len, CHUNK - co);
            byte[] c = chunks.get(ci);
            if (c == null) {
                int size = (int) Math.min(CHUNK, capacity - ((long) ci << CHUNK_SHIFT));
                c = new byte[size];
                if (!chunks.compareAndSet(ci, null, c)) {
                    c = chunks.get(ci);
                }
            }
            System.arraycopy(src, off, c, co, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public long landingOffset(IoOp op) {
        if (misdirections.isEmpty()) {
            return op.offset();
        }
        Long to = misdirections.remove(op.offset());
        return to == null ? op.offset() : to;
    }

    /** Makes the next write addressed at {@code from} land at {@code to}. */
    public void misdirect(long from, long to) {
        misdirections.put(from, to);
    }

    /** Bytes of media actually allocated. */
    public long allocatedBytes() {
        long total = 0;
        for (int i = 0; i < chunks.length(); i++) {
            byte[] c = chunks.get(i);
            if (c != null) {
                total += c.length;
            }
        }
        return total;
    }
}
