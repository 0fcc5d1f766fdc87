package io.staleguard.device.sim.internal;

import io.staleguard.device.core.internal.IoOp;
import io.staleguard.device.core.internal.Media;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongFunction;

/**
 * In-memory media allocated lazily in chunks: creating a device of any size costs one small
 * directory array; a chunk is allocated (zeroed) when first written. Never-written bytes read as
 * zeros. Callers serialise access to each block (the front end's stripe locks). Writes a test
 * misdirected ({@link io.staleguard.device.sim.MediaTamper#misdirectNextWrite}) land where the test said.
 *
 * <h2>Layers (crash states)</h2>
 * {@link #freeze()} returns an immutable image of the chunks and turns on copy-on-write, so later
 * writes copy a chunk the first time they touch it and the image stays what it was. {@link #restore}
 * makes an image the live media again (copy-on-write kept: the image stays reusable).
 * {@link #overlay} puts the media into layer mode for one crash state: reads per block from the
 * state's own writes (scratch), then the state's overlay, then the base image; writes go to
 * scratch only, discarded by the next {@code restore} or {@code overlay}. Without layers the hot
 * path pays one null check per call. Switching happens under all of the front end's stripe locks,
 * which every access also holds for its blocks: that is what publishes the plain field safely.
 */
public final class ChunkedMedia implements Media {

    static final int CHUNK_SHIFT = 18;
    static final int CHUNK = 1 << CHUNK_SHIFT;

    private final long capacity;
    private final AtomicReferenceArray<byte[]> chunks;
    private final ConcurrentHashMap<Long, Long> misdirections = new ConcurrentHashMap<>();
    private Layers layers;
    /** Bad blocks and flipped bits beside the pristine chunks; null until a fault is first armed on the media. */
    private MediaFaults faults;

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
        Layers l = layers;
        if (l != null && l.overlay != null) {
            l.read(offset, dst, off, len);
            return;
        }
        MediaFaults f = faults;
        if (f != null) {
            readLive(offset, dst, off, len);
            f.apply(offset, dst, off, len);
            return;
        }
        readLive(offset, dst, off, len);
    }

    private void readLive(long offset, byte[] dst, int off, int len) {
        // Copy-on-write mode reads the live chunks as they are: only a write must know about the image.
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
        Layers l = layers;
        if (l != null) {
            // Crash exploration only: the hot path without it is the loop below, one null check in front of it.
            writeLayered(l, offset, src, off, len);
            return;
        }
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

    /** A write in copy-on-write mode (a frozen image exists) or layer mode (a crash state is mounted). */
    private void writeLayered(Layers l, long offset, byte[] src, int off, int len) {
        if (l.overlay != null) {
            l.write(offset, src, off, len);
            return;
        }
        MediaFaults f = faults;
        if (f != null) {
            f.healed(offset, len);
        }
        while (len > 0) {
            int ci = (int) (offset >>> CHUNK_SHIFT);
            int co = (int) (offset & (CHUNK - 1));
            int n = Math.min(len, CHUNK - co);
            byte[] c = chunks.get(ci);
            if (c != null && l.frozen[ci] == c) {
                // The chunk belongs to a frozen image: copy it once, the image keeps the original.
                byte[] copy = c.clone();
                c = chunks.compareAndSet(ci, c, copy) ? copy : chunks.get(ci);
            }
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
    public boolean changesOnlyThroughFrontEnd() {
        return true;
    }

    /** The stored bytes, past the fault overlay (flipped bits are a fault of the read): for deferred guards. */
    @Override
    public void readStored(long offset, byte[] dst, int off, int len) {
        Layers l = layers;
        if (l != null && l.overlay != null) {
            l.read(offset, dst, off, len);
            return;
        }
        readLive(offset, dst, off, len);
    }

    @Override
    public long landingOffset(IoOp op) {
        if (misdirections.isEmpty()) {
            return op.offset();
        }
        Long to = misdirections.remove(op.offset());
        return to == null ? op.offset() : to;
    }

    /**
     * Puts the media's fault overlay in place (or removes it with null). Callers hold every stripe lock, which
     * publishes the plain field to every later access.
     */
    void faults(MediaFaults overlay) {
        this.faults = overlay;
        if (overlay != null && layers == null) {
            // Writes heal the faults in the layered method, so the plain write keeps its one null check: over an
            // image that holds no chunk, that method copies nothing and writes as the plain loop does.
            layers = new Layers(new byte[chunks.length()][], null, null, 0);
        }
    }

    /** Makes the next write addressed at {@code from} land at {@code to}. */
    public void misdirect(long from, long to) {
        misdirections.put(from, to);
    }

    /**
     * An immutable image of the media now; later writes copy the chunks they touch. Callers hold
     * every stripe lock (no write in progress).
     */
    public Frozen freeze() {
        Layers l = layers;
        if (l != null && l.overlay != null) {
            throw new IllegalStateException("the media is in a crash state (layer mode); restore an image before freezing");
        }
        byte[][] image = new byte[chunks.length()][];
        for (int i = 0; i < image.length; i++) {
            image[i] = chunks.get(i);
        }
        layers = new Layers(image, null, null, 0);
        return new Frozen(this, image);
    }

    /** Makes {@code image} the live media; it stays immutable (copy-on-write). Callers hold every stripe lock. */
    public void restore(Frozen image) {
        checkOwn(image);
        for (int i = 0; i < image.chunks.length; i++) {
            chunks.set(i, image.chunks[i]);
        }
        layers = new Layers(image.chunks, null, null, 0);
    }

    /**
     * Layer mode over {@code base}: block {@code b} reads from this state's own writes, else from
     * {@code overlay.apply(b)} (null: not in the overlay), else from {@code base}. Callers hold
     * every stripe lock.
     *
     * @param blockSize the overlay's block size, a power of two dividing the chunk size
     */
    public void overlay(Frozen base, LongFunction<byte[]> overlay, int blockSize) {
        checkOwn(base);
        if (blockSize <= 0 || Integer.bitCount(blockSize) != 1 || blockSize > CHUNK) {
            throw new IllegalArgumentException("overlay block size " + blockSize + " is not a power of two up to " + CHUNK);
        }
        layers = new Layers(base.chunks, java.util.Objects.requireNonNull(overlay, "overlay"), new LongBlockMap(),
                Integer.numberOfTrailingZeros(blockSize));
    }

    /** Blocks the current crash state wrote itself (0 outside layer mode). */
    public int scratchBlocks() {
        Layers l = layers;
        return l == null || l.scratch == null ? 0 : l.scratch.size();
    }

    private void checkOwn(Frozen image) {
        if (java.util.Objects.requireNonNull(image, "image").owner != this) {
            throw new IllegalArgumentException("the media image was frozen from another device's media");
        }
    }

    /** An immutable image of the chunks, as {@link #freeze()} took it. */
    public static final class Frozen {
        private final ChunkedMedia owner;
        private final byte[][] chunks;

        private Frozen(ChunkedMedia owner, byte[][] chunks) {
            this.owner = owner;
            this.chunks = chunks;
        }

        /** Whether this image was frozen from {@code media}. */
        public boolean of(ChunkedMedia media) {
            return owner == media;
        }

        /** Copies image bytes at {@code offset} (never-written ones read as zeros). */
        public void read(long offset, byte[] dst, int off, int len) {
            readChunks(chunks, offset, dst, off, len);
        }
    }

    private static void readChunks(byte[][] chunks, long offset, byte[] dst, int off, int len) {
        while (len > 0) {
            int ci = (int) (offset >>> CHUNK_SHIFT);
            int co = (int) (offset & (CHUNK - 1));
            int n = Math.min(len, CHUNK - co);
            byte[] c = chunks[ci];
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

    /**
     * Copy-on-write (only {@code frozen}) or layer mode ({@code overlay} and {@code scratch} set too).
     * In layer mode accesses are whole blocks; scratch is written under the blocks' stripe locks.
     */
    private static final class Layers {
        final byte[][] frozen;
        final LongFunction<byte[]> overlay;
        final LongBlockMap scratch;
        final int shift;

        Layers(byte[][] frozen, LongFunction<byte[]> overlay, LongBlockMap scratch, int shift) {
            this.frozen = frozen;
            this.overlay = overlay;
            this.scratch = scratch;
            this.shift = shift;
        }

        void read(long offset, byte[] dst, int off, int len) {
            int bs = 1 << shift;
            while (len > 0) {
                long b = offset >>> shift;
                int bo = (int) (offset & (bs - 1));
                int n = Math.min(len, bs - bo);
                byte[] block = top(b);
                if (block != null) {
                    System.arraycopy(block, bo, dst, off, n);
                } else {
                    readChunks(frozen, offset, dst, off, n);
                }
                offset += n;
                off += n;
                len -= n;
            }
        }

        void write(long offset, byte[] src, int off, int len) {
            int bs = 1 << shift;
            while (len > 0) {
                long b = offset >>> shift;
                int bo = (int) (offset & (bs - 1));
                int n = Math.min(len, bs - bo);
                byte[] block;
                synchronized (scratch) {
                    block = scratch.get(b);
                }
                if (block == null) {
                    block = new byte[bs];
                    if (n < bs) {
                        byte[] below = overlay.apply(b);
                        if (below != null) {
                            System.arraycopy(below, 0, block, 0, bs);
                        } else {
                            readChunks(frozen, b << shift, block, 0, bs);
                        }
                    }
                    synchronized (scratch) {
                        scratch.put(b, block);
                    }
                }
                System.arraycopy(src, off, block, bo, n);
                offset += n;
                off += n;
                len -= n;
            }
        }

        private byte[] top(long b) {
            byte[] s;
            synchronized (scratch) {
                s = scratch.get(b);
            }
            return s != null ? s : overlay.apply(b);
        }
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
