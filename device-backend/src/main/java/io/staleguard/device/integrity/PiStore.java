package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToLongFunction;
import org.apiguardian.api.API;

/**
 * The protection-information tuples of a device, by LBA (in protection-interval units).
 *
 * <p>Memory is allocated lazily in chunks of {@value #CHUNK_LBAS} LBAs when first written, so
 * creating a store costs a few small objects whatever the capacity; a device that was only
 * partly written holds only the chunks it touched.
 *
 * <p>An LBA never written (or {@linkplain #discard discarded}) is reported by
 * {@link #isWritten(long)} as false and reads back from {@link #get} as an all-0xFF tuple: the
 * application tag 0xFFFF plus an all-ones reference tag is the escape of every PI type, as on
 * freshly formatted media, so verification skips it.
 *
 * <p>Thread-safe: each tuple is read and written atomically (per chunk lock); a multi-LBA
 * {@code put} or {@code get} is not atomic as a whole. A device that already holds a lock per LBA
 * around every call makes its store with {@link #forFormat(ProtectionFormat, long, LbaLocks)}: that
 * store takes no lock of its own on the hot path (a monitor per call cost a fifth of a verified
 * 4 KiB write), since nothing it keeps is shared between LBAs.
 *
 * <h2>Deferred guards</h2>
 * A device whose media changes only through it may store a tuple whose guard is not computed yet
 * ({@link #put(long, byte[], int, int, long[], int)} with a fingerprint): the tags are stored, and
 * instead of the guard the CRC-32C of the data it stands for (hardware accelerated, about twenty
 * times cheaper than a CRC-16). The exact guard is computed from the stored data when it is first
 * needed: by {@link #get(long, byte[], int, int)}, {@link #saveTo}, {@link #resolve} (before the
 * data is changed behind the store), through the {@link StoredData} the device installs with
 * {@link #resolveFrom}. Every tuple handed out by {@code get} is exact. Verifiers that read the
 * data anyway use {@link #get(long, byte[], int, int, long[], int)}: equal fingerprints mean equal
 * data, so the guard is not needed unless the data changed.
 *
 * <h2>Sidecar file ({@link #saveTo}/{@link #loadFrom})</h2>
 * Big-endian binary:
 * <pre>
 *   int   magic 0x53475049 ("SGPI")
 *   int   version 1
 *   int   tuple size (8 or 16)
 *   long  capacity in LBAs
 *   int   LBAs per chunk (1024)
 *   then per chunk with at least one written LBA, ascending:
 *     long    chunk index (first LBA = index * LBAs per chunk)
 *     long[]  written bitmap, LBAs-per-chunk / 64 words, bit (lba % 64) of word (lba / 64)
 *     byte[]  LBAs-per-chunk * tuple size tuple bytes (unwritten slots are 0xFF)
 *   long  -1 (end marker)
 * </pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PiStore {

    /** LBAs per lazily allocated chunk. */
    public static final int CHUNK_LBAS = 1024;
    private static final int CHUNK_SHIFT = 10;
    /** Chunks per directory leaf; the directory itself is allocated a leaf at a time, too. */
    private static final int LEAF_CHUNKS = 1024;
    private static final int LEAF_SHIFT = 10;
    private static final int MAGIC = 0x53475049;
    private static final int VERSION = 1;

    /** A fingerprint entry of a tuple stored with its guard (nothing deferred). */
    public static final long EXACT = -1L;

    private final int tupleSize;
    private final long capacity;
    private final AtomicReferenceArray<AtomicReferenceArray<Chunk>> directory;
    /** The format, when known ({@link #forFormat}): needed to compute deferred guards. */
    private final ProtectionFormat format;
    /** The caller's per-LBA exclusion, or null: this store then locks each chunk itself. */
    private final LbaLocks callerLocks;
    private volatile StoredData source;
    private volatile int interval;

    /** Reads the data a device stored for one LBA, for computing its deferred guard. */
    @FunctionalInterface
    public interface StoredData {
        /**
         * Copies the data stored at {@code lba} (one protection interval, {@code dst.length} bytes), as it was
         * last written through the device: no read fault applied. Takes whatever lock keeps writers of the LBA out.
         */
        void read(long lba, byte[] dst);
    }

    /**
     * The exclusion per LBA that a device holds around every call of a store made with
     * {@link #forFormat(ProtectionFormat, long, LbaLocks)}: {@code put}, {@code get} and {@code resolve} of
     * an LBA run with its lock held, calls on different LBAs may run at the same time. The store takes
     * an LBA's lock itself only for work it starts on its own (a deferred guard it resolves for
     * {@link #saveTo} or for a caller that did not lock); the locks must therefore be reentrant.
     * {@link #saveTo}, the counts and {@link #isWritten} see a consistent store only when no writer
     * runs.
     */
    public interface LbaLocks {
        /** Locks {@code lba} (reentrant). */
        void lock(long lba);

        /** Unlocks what {@link #lock} locked. */
        void unlock(long lba);
    }

    /**
     * An empty store.
     *
     * @param tupleSize     bytes per tuple, 8 or 16
     * @param capacityLbas  number of LBAs (protection intervals) of the device, at least 0
     */
    public PiStore(int tupleSize, long capacityLbas) {
        this(tupleSize, capacityLbas, null, null);
    }

    private PiStore(int tupleSize, long capacityLbas, ProtectionFormat format, LbaLocks callerLocks) {
        if (tupleSize != 8 && tupleSize != 16) {
            throw new IllegalArgumentException("tuple size " + tupleSize + " is not 8 or 16");
        }
        long leaves = (capacityLbas + ((long) CHUNK_LBAS * LEAF_CHUNKS) - 1) >>> (CHUNK_SHIFT + LEAF_SHIFT);
        if (capacityLbas < 0 || leaves > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("capacity " + capacityLbas + " LBAs is out of range");
        }
        this.tupleSize = tupleSize;
        this.capacity = capacityLbas;
        this.directory = new AtomicReferenceArray<>((int) leaves);
        this.format = format;
        this.callerLocks = callerLocks;
    }

    /** An empty store for the tuples of {@code format} (which must not be NONE). */
    public static PiStore forFormat(ProtectionFormat format, long capacityLbas) {
        if (!format.enabled()) {
            throw new IllegalArgumentException("protection format " + format.name() + " has no tuples to store");
        }
        return new PiStore(format.tupleSize(), capacityLbas, format, null);
    }

    /**
     * An empty store for the tuples of {@code format} whose caller holds {@code locks}' lock of every LBA
     * it puts, gets or resolves (see {@link LbaLocks}); the store itself then takes no lock per call.
     */
    public static PiStore forFormat(ProtectionFormat format, long capacityLbas, LbaLocks locks) {
        Objects.requireNonNull(locks, "locks");
        if (!format.enabled()) {
            throw new IllegalArgumentException("protection format " + format.name() + " has no tuples to store");
        }
        return new PiStore(format.tupleSize(), capacityLbas, format, locks);
    }

    /**
     * Installs where deferred guards are computed from: {@code data} reads an LBA's stored data, one
     * {@code interval} of bytes.
     *
     * @throws IllegalStateException    if this store was not made {@link #forFormat} a format
     * @throws IllegalArgumentException naming a bad interval
     */
    public void resolveFrom(StoredData data, int interval) {
        Objects.requireNonNull(data, "data");
        if (format == null) {
            throw new IllegalStateException("a store made for " + tupleSize + "-byte tuples without a format cannot"
                    + " compute guards; make it with PiStore.forFormat");
        }
        if (interval != 512 && interval != 4096) {
            throw new IllegalArgumentException("protection interval " + interval + " is not 512 or 4096");
        }
        this.interval = interval;
        this.source = data;
    }

    /** Bytes per tuple. */
    public int tupleSize() {
        return tupleSize;
    }

    /** Capacity in LBAs. */
    public long capacity() {
        return capacity;
    }

    /** Stores {@code count} tuples from {@code tuples[off...]} for LBAs {@code lba .. lba+count-1}. */
    public void put(long lba, byte[] tuples, int off, int count) {
        checkRange(lba, count);
        checkArray(tuples, off, count);
        int done = 0;
        while (done < count) {
            long l = lba + done;
            Chunk c = writable(l >>> CHUNK_SHIFT, chunk(l >>> CHUNK_SHIFT, true));
            int slot = (int) (l & (CHUNK_LBAS - 1));
            int n = Math.min(count - done, CHUNK_LBAS - slot);
            if (callerLocks != null) {
                c.put(slot, tuples, off + done * tupleSize, n, tupleSize);
            } else {
                synchronized (c) {
                    c.put(slot, tuples, off + done * tupleSize, n, tupleSize);
                }
            }
            done += n;
        }
    }

    /**
     * Stores {@code count} tuples as {@link #put(long, byte[], int, int)} does, where an entry of
     * {@code fingerprints[fpOff...]} other than {@link #EXACT} defers that tuple's guard: the value
     * (0 to 0xFFFFFFFF) is the CRC-32C of the interval's data, which must be what the device stores at
     * that LBA (the guard bytes of the tuple are ignored). Needs a {@link #resolveFrom} source.
     *
     * @throws IllegalStateException if a guard is deferred and no source was installed
     */
    public void put(long lba, byte[] tuples, int off, int count, long[] fingerprints, int fpOff) {
        checkRange(lba, count);
        checkArray(tuples, off, count);
        Objects.checkFromIndexSize(fpOff, count, fingerprints.length);
        if (source == null) {
            for (int i = 0; i < count; i++) {
                if (fingerprints[fpOff + i] != EXACT) {
                    throw new IllegalStateException("a deferred guard needs the stored data: call resolveFrom first");
                }
            }
        }
        int done = 0;
        while (done < count) {
            long l = lba + done;
            Chunk c = writable(l >>> CHUNK_SHIFT, chunk(l >>> CHUNK_SHIFT, true));
            int slot = (int) (l & (CHUNK_LBAS - 1));
            int n = Math.min(count - done, CHUNK_LBAS - slot);
            if (callerLocks != null) {
                c.put(slot, tuples, off + done * tupleSize, n, tupleSize, fingerprints, fpOff + done);
            } else {
                synchronized (c) {
                    c.put(slot, tuples, off + done * tupleSize, n, tupleSize, fingerprints, fpOff + done);
                }
            }
            done += n;
        }
    }

    /**
     * Copies the tuples as stored, for a verifier that holds the data: a tuple whose guard is
     * deferred is copied with a zero guard and its fingerprint put into {@code fingerprints[fpOff + i]}
     * (every other entry is set to {@link #EXACT}). Data whose CRC-32C equals the fingerprint is the
     * data the guard stands for, so it passes the guard check; other data needs the exact guard,
     * {@link #resolve} first.
     *
     * @return how many of the {@code count} LBAs had been written
     */
    public int get(long lba, byte[] out, int off, int count, long[] fingerprints, int fpOff) {
        checkRange(lba, count);
        checkArray(out, off, count);
        Objects.checkFromIndexSize(fpOff, count, fingerprints.length);
        int written = 0;
        int done = 0;
        while (done < count) {
            long l = lba + done;
            Chunk c = chunk(l >>> CHUNK_SHIFT, false);
            int slot = (int) (l & (CHUNK_LBAS - 1));
            int n = Math.min(count - done, CHUNK_LBAS - slot);
            int o = off + done * tupleSize;
            if (c == null) {
                Arrays.fill(out, o, o + n * tupleSize, (byte) 0xFF);
                Arrays.fill(fingerprints, fpOff + done, fpOff + done + n, EXACT);
            } else {
                written += callerLocks != null ? c.get(slot, out, o, n, tupleSize, fingerprints, fpOff + done)
                        : c.getLocked(slot, out, o, n, tupleSize, fingerprints, fpOff + done);
            }
            done += n;
        }
        return written;
    }

    /**
     * Computes the deferred guards of LBAs {@code lba .. lba+count-1} now, from the stored data: what a
     * device does before it changes data behind the store (a test's corruption), so that the guard stays
     * the one of the data written.
     *
     * @throws IllegalStateException if the stored data no longer has the fingerprint it was stored with
     */
    public void resolve(long lba, long count) {
        if (count < 0 || lba < 0 || lba > capacity - count) {
            throw new IllegalArgumentException("LBA range [" + lba + ", +" + count + ") is outside the capacity of "
                    + capacity + " LBAs");
        }
        long l = lba;
        long end = lba + count;
        while (l < end) {
            Chunk c = chunk(l >>> CHUNK_SHIFT, false);
            long chunkEnd = Math.min(end, ((l >>> CHUNK_SHIFT) + 1) << CHUNK_SHIFT);
            if (c != null && c.anyDeferred()) {
                for (long x = l; x < chunkEnd; x++) {
                    resolveOne(x);
                }
            }
            l = chunkEnd;
        }
    }

    /** Number of LBAs whose tuple's guard is still deferred; for diagnostics and tests. */
    public long deferredCount() {
        return sumOverChunks(Chunk::deferredCount);
    }

    private void resolveOne(long lba) {
        LbaLocks locks = callerLocks;
        if (locks == null) {
            settleOne(lba);
            return;
        }
        Chunk c = chunk(lba >>> CHUNK_SHIFT, false);
        if (c == null || c.fingerprint((int) (lba & (CHUNK_LBAS - 1))) == EXACT) {
            return; // nothing to settle, or a writer's own call (holding the lock) will see it right
        }
        // Writers of the LBA take no monitor in such a store: settling its guard needs their lock.
        locks.lock(lba);
        try {
            settleOne(lba);
        } finally {
            locks.unlock(lba);
        }
    }

    private void settleOne(long lba) {
        byte[] data = null;
        while (true) {
            long index = lba >>> CHUNK_SHIFT;
            int slot = (int) (lba & (CHUNK_LBAS - 1));
            Chunk c = chunk(index, false);
            if (c == null) {
                return;
            }
            long fp = c.fingerprint(slot);
            if (fp == EXACT) {
                return;
            }
            StoredData src = source;
            if (data == null) {
                data = new byte[interval];
            }
            src.read(lba, data);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(data, 0, data.length);
            if (crc.getValue() != fp) {
                if (chunk(index, false) == c && c.fingerprint(slot) == fp) {
                    throw new IllegalStateException("LBA " + lba + ": its stored data no longer has the CRC-32C 0x"
                            + Long.toHexString(fp) + " its deferred guard was stored with (0x"
                            + Long.toHexString(crc.getValue()) + "): data changed behind the PI store");
                }
                continue; // rewritten meanwhile: resolve what is there now
            }
            long guard = ProtectionInformation.guard(format, java.nio.ByteBuffer.wrap(data), 0, data.length);
            if (writable(index, c).settle(slot, fp, guard, format.guard(), tupleSize)) {
                return;
            }
        }
    }

    /**
     * Copies the tuples of LBAs {@code lba .. lba+count-1} to {@code out[off...]}; never-written
     * LBAs read as all 0xFF. Deferred guards are computed first, so every tuple is exact.
     *
     * @return how many of the {@code count} LBAs had been written
     */
    public int get(long lba, byte[] out, int off, int count) {
        checkRange(lba, count);
        checkArray(out, off, count);
        if (source != null) { // only a store with a source holds deferred guards
            resolve(lba, count);
        }
        int written = 0;
        int done = 0;
        while (done < count) {
            long l = lba + done;
            Chunk c = chunk(l >>> CHUNK_SHIFT, false);
            int slot = (int) (l & (CHUNK_LBAS - 1));
            int n = Math.min(count - done, CHUNK_LBAS - slot);
            int o = off + done * tupleSize;
            if (c == null) {
                Arrays.fill(out, o, o + n * tupleSize, (byte) 0xFF);
            } else {
                written += callerLocks != null ? c.get(slot, out, o, n, tupleSize) : c.getLocked(slot, out, o, n, tupleSize);
            }
            done += n;
        }
        return written;
    }

    /** Whether a tuple was stored for {@code lba} (and not discarded since). */
    public boolean isWritten(long lba) {
        checkRange(lba, 1);
        Chunk c = chunk(lba >>> CHUNK_SHIFT, false);
        return c != null && c.isWritten((int) (lba & (CHUNK_LBAS - 1)));
    }

    /** Forgets the tuples of LBAs {@code lba .. lba+count-1} (as a discard/TRIM would). */
    public void discard(long lba, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " is negative");
        }
        checkRange(lba, 0);
        if (count > capacity - lba) {
            throw new IllegalArgumentException("LBA range [" + lba + ", " + (lba + count)
                    + ") exceeds the capacity of " + capacity + " LBAs");
        }
        long done = 0;
        while (done < count) {
            long l = lba + done;
            Chunk c = chunk(l >>> CHUNK_SHIFT, false);
            int slot = (int) (l & (CHUNK_LBAS - 1));
            int n = (int) Math.min(count - done, CHUNK_LBAS - slot);
            if (c != null) {
                writable(l >>> CHUNK_SHIFT, c).discard(slot, n, tupleSize);
            }
            done += n;
        }
    }

    /**
     * An immutable copy of this store now, in O(chunks) without copying tuples: both stores share
     * the chunks, and whichever writes one first copies it (8 or 16 KiB). For crash states: the
     * device freezes its PI with its media and {@linkplain #resetTo resets} to it at a power cycle.
     * Callers keep writers out while it is taken (the device holds every stripe lock).
     */
    public PiStore frozenCopy() {
        PiStore copy = new PiStore(tupleSize, capacity, format, callerLocks);
        copy.shareFrom(this);
        // Its deferred guards resolve from the live data: right while it is unchanged, a loud error after.
        copy.interval = interval;
        copy.source = source;
        return copy;
    }

    /**
     * Makes this store hold exactly the tuples of {@code frozen} (a {@link #frozenCopy} of a store of
     * the same geometry), sharing its chunks copy-on-write. Callers keep readers and writers out.
     *
     * @throws IllegalArgumentException naming a store of another tuple size or capacity
     */
    public void resetTo(PiStore frozen) {
        Objects.requireNonNull(frozen, "frozen");
        if (frozen.tupleSize != tupleSize || frozen.capacity != capacity) {
            throw new IllegalArgumentException("cannot reset a store of " + tupleSize + "-byte tuples and " + capacity
                    + " LBAs to one of " + frozen.tupleSize + "-byte tuples and " + frozen.capacity + " LBAs");
        }
        shareFrom(frozen);
        if (source == null && frozen.source != null) {
            interval = frozen.interval;
            source = frozen.source;
        }
    }

    private void shareFrom(PiStore from) {
        for (int i = 0; i < directory.length(); i++) {
            AtomicReferenceArray<Chunk> leaf = from.directory.get(i);
            if (leaf == null) {
                directory.set(i, null);
                continue;
            }
            AtomicReferenceArray<Chunk> mine = new AtomicReferenceArray<>(LEAF_CHUNKS);
            for (int j = 0; j < LEAF_CHUNKS; j++) {
                Chunk c = leaf.get(j);
                if (c != null) {
                    c.frozen = true;
                    mine.set(j, c);
                }
            }
            directory.set(i, mine);
        }
    }

    /** {@code c} itself, or a private copy in its slot if it is shared with a frozen copy. */
    private Chunk writable(long index, Chunk c) {
        if (!c.frozen) {
            return c;
        }
        AtomicReferenceArray<Chunk> leaf = directory.get((int) (index >>> LEAF_SHIFT));
        int slot = (int) (index & (LEAF_CHUNKS - 1));
        Chunk copy = c.copy(tupleSize);
        return leaf.compareAndSet(slot, c, copy) ? copy : leaf.get(slot);
    }

    /** Number of chunks allocated so far (each holds {@value #CHUNK_LBAS} tuples); for diagnostics. */
    public int allocatedChunks() {
        return (int) sumOverChunks(c -> 1);
    }

    /** Number of LBAs currently holding a written tuple. */
    public long writtenCount() {
        return sumOverChunks(Chunk::writtenCount);
    }

    private long sumOverChunks(ToLongFunction<Chunk> f) {
        long total = 0;
        for (int i = 0; i < directory.length(); i++) {
            AtomicReferenceArray<Chunk> leaf = directory.get(i);
            if (leaf == null) {
                continue;
            }
            for (int j = 0; j < leaf.length(); j++) {
                Chunk c = leaf.get(j);
                if (c != null) {
                    total += f.applyAsLong(c);
                }
            }
        }
        return total;
    }

    /**
     * Writes the store to a sidecar file (format in the class comment), atomically: a sibling
     * temporary file is written and moved over {@code file}.
     */
    public void saveTo(Path file) throws IOException {
        if (source != null) {
            resolve(0, capacity);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(tupleSize);
            out.writeLong(capacity);
            out.writeInt(CHUNK_LBAS);
            long[] bitmap = new long[CHUNK_LBAS / 64];
            byte[] bytes = new byte[CHUNK_LBAS * tupleSize];
            for (int i = 0; i < directory.length(); i++) {
                AtomicReferenceArray<Chunk> leaf = directory.get(i);
                if (leaf == null) {
                    continue;
                }
                for (int j = 0; j < leaf.length(); j++) {
                    Chunk c = leaf.get(j);
                    if (c == null || !c.snapshot(bitmap, bytes)) {
                        continue;
                    }
                    out.writeLong(((long) i << LEAF_SHIFT) + j);
                    for (long w : bitmap) {
                        out.writeLong(w);
                    }
                    out.write(bytes);
                }
            }
            out.writeLong(-1);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a store written by {@link #saveTo}; a malformed file is an IOException naming the bad value. */
    public static PiStore loadFrom(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new IOException(file + ": not a PI sidecar (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": unsupported PI sidecar version " + version);
            }
            int tupleSize = in.readInt();
            long capacity = in.readLong();
            int chunkLbas = in.readInt();
            if (chunkLbas != CHUNK_LBAS) {
                throw new IOException(file + ": unsupported chunk size " + chunkLbas);
            }
            PiStore store;
            try {
                store = new PiStore(tupleSize, capacity);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            long chunks = (capacity + CHUNK_LBAS - 1) >>> CHUNK_SHIFT;
            long previous = -1;
            while (true) {
                long index = in.readLong();
                if (index == -1) {
                    return store;
                }
                if (index <= previous || index >= chunks) {
                    throw new IOException(file + ": chunk index " + index + " out of order or beyond "
                            + chunks + " chunks");
                }
                previous = index;
                Chunk c = store.chunk(index, true);
                long[] bitmap = new long[CHUNK_LBAS / 64];
                for (int w = 0; w < bitmap.length; w++) {
                    bitmap[w] = in.readLong();
                }
                c.load(bitmap);
                in.readFully(c.tuples);
            }
        } catch (EOFException e) {
            throw new IOException(file + ": truncated PI sidecar", e);
        }
    }

    private Chunk chunk(long index, boolean create) {
        int leafIndex = (int) (index >>> LEAF_SHIFT);
        AtomicReferenceArray<Chunk> leaf = directory.get(leafIndex);
        if (leaf == null) {
            if (!create) {
                return null;
            }
            directory.compareAndSet(leafIndex, null, new AtomicReferenceArray<>(LEAF_CHUNKS));
            leaf = directory.get(leafIndex);
        }
        int slot = (int) (index & (LEAF_CHUNKS - 1));
        Chunk c = leaf.get(slot);
        if (c == null && create) {
            leaf.compareAndSet(slot, null, new Chunk(tupleSize, callerLocks != null));
            c = leaf.get(slot);
        }
        return c;
    }

    private void checkRange(long lba, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " is negative");
        }
        if (lba < 0 || lba > capacity - count) {
            throw new IllegalArgumentException("LBA " + lba + (count > 1 ? " (+" + count + ")" : "")
                    + " is outside the capacity of " + capacity + " LBAs");
        }
    }

    private void checkArray(byte[] a, int off, int count) {
        Objects.requireNonNull(a, "tuples");
        long need = (long) count * tupleSize;
        if (off < 0 || off > a.length || a.length - off < need) {
            throw new IllegalArgumentException("tuples array of length " + a.length + " at offset " + off
                    + " is too short for " + count + " tuples of " + tupleSize + " bytes");
        }
    }

    /**
     * One lazily allocated run of {@link #CHUNK_LBAS} tuples. Its methods take no lock: the store
     * calls the hot ones under the chunk's monitor, or under its caller's {@link LbaLocks}, and the
     * rare ones under the monitor. Every field an LBA uses is its own (a state byte, its tuple, its
     * fingerprint), never a word shared with other LBAs, so writers of different LBAs need no common
     * lock.
     */
    private static final class Chunk {
        private static final byte UNWRITTEN = 0;
        private static final byte WRITTEN = 1;
        /** Written, with the guard deferred: the data's CRC-32C is in {@link #fingerprints}. */
        private static final byte DEFERRED = 2;

        final byte[] state = new byte[CHUNK_LBAS];
        final byte[] tuples;
        /**
         * Per LBA, the CRC-32C of a deferred guard's data. Allocated with the chunk in a store whose caller
         * locks (two writers of the chunk may run at once), else on the first deferred put under the monitor.
         */
        int[] fingerprints;
        /**
         * Shared with a frozen copy: never written again, copied by the first writer instead. Plain, not volatile:
         * it is read on every put (the device's hot path), and it is only set while the device holds every stripe
         * lock, which each later writer acquires for its blocks before it reads the flag (a deferred guard that is
         * resolved reads it after its {@link StoredData} read, which takes the block's stripe lock).
         */
        boolean frozen;

        Chunk(int tupleSize, boolean fingerprinted) {
            tuples = new byte[CHUNK_LBAS * tupleSize];
            Arrays.fill(tuples, (byte) 0xFF);
            fingerprints = fingerprinted ? new int[CHUNK_LBAS] : null;
        }

        private Chunk(Chunk from) {
            System.arraycopy(from.state, 0, state, 0, CHUNK_LBAS);
            tuples = from.tuples.clone();
            fingerprints = from.fingerprints == null ? null : from.fingerprints.clone();
        }

        synchronized Chunk copy(int tupleSize) {
            return new Chunk(this);
        }

        void put(int slot, byte[] src, int off, int n, int size, long[] fps, int fpOff) {
            System.arraycopy(src, off, tuples, slot * size, n * size);
            for (int i = 0; i < n; i++) {
                long fp = fps[fpOff + i];
                if (fp == EXACT) {
                    state[slot + i] = WRITTEN;
                } else {
                    if (fingerprints == null) {
                        fingerprints = new int[CHUNK_LBAS];
                    }
                    fingerprints[slot + i] = (int) fp;
                    state[slot + i] = DEFERRED;
                }
            }
        }

        int get(int slot, byte[] dst, int off, int n, int size, long[] fps, int fpOff) {
            System.arraycopy(tuples, slot * size, dst, off, n * size);
            int count = 0;
            for (int i = 0; i < n; i++) {
                byte st = state[slot + i];
                count += st == UNWRITTEN ? 0 : 1;
                fps[fpOff + i] = st == DEFERRED ? fingerprints[slot + i] & 0xFFFF_FFFFL : EXACT;
            }
            return count;
        }

        synchronized int getLocked(int slot, byte[] dst, int off, int n, int size, long[] fps, int fpOff) {
            return get(slot, dst, off, n, size, fps, fpOff);
        }

        /** The fingerprint of a deferred guard, or EXACT. */
        synchronized long fingerprint(int s) {
            return state[s] == DEFERRED ? fingerprints[s] & 0xFFFF_FFFFL : EXACT;
        }

        synchronized boolean anyDeferred() {
            for (byte st : state) {
                if (st == DEFERRED) {
                    return true;
                }
            }
            return false;
        }

        synchronized long deferredCount() {
            long c = 0;
            for (byte st : state) {
                c += st == DEFERRED ? 1 : 0;
            }
            return c;
        }

        /** Writes the exact guard of a slot still deferred with {@code fp}; false if it changed meanwhile. */
        synchronized boolean settle(int s, long fp, long guard, GuardAlgorithm g, int size) {
            if (state[s] != DEFERRED || (fingerprints[s] & 0xFFFF_FFFFL) != fp) {
                return false; // resolved or rewritten meanwhile: the caller looks again
            }
            int t = s * size;
            PiTuple.encode(g, tuples, t, guard, PiTuple.appTag(g, tuples, t), PiTuple.refTag(g, tuples, t));
            state[s] = WRITTEN;
            return true;
        }

        void put(int slot, byte[] src, int off, int n, int size) {
            System.arraycopy(src, off, tuples, slot * size, n * size);
            Arrays.fill(state, slot, slot + n, WRITTEN);
        }

        int get(int slot, byte[] dst, int off, int n, int size) {
            System.arraycopy(tuples, slot * size, dst, off, n * size);
            int count = 0;
            for (int i = 0; i < n; i++) {
                count += state[slot + i] == UNWRITTEN ? 0 : 1;
            }
            return count;
        }

        synchronized int getLocked(int slot, byte[] dst, int off, int n, int size) {
            return get(slot, dst, off, n, size);
        }

        synchronized boolean isWritten(int slot) {
            return state[slot] != UNWRITTEN;
        }

        synchronized void discard(int slot, int n, int size) {
            Arrays.fill(tuples, slot * size, (slot + n) * size, (byte) 0xFF);
            Arrays.fill(state, slot, slot + n, UNWRITTEN);
        }

        synchronized long writtenCount() {
            long c = 0;
            for (byte st : state) {
                c += st == UNWRITTEN ? 0 : 1;
            }
            return c;
        }

        /** The sidecar's view: the written bitmap (bit {@code lba % 64} of word {@code lba / 64}) and the tuples. */
        synchronized boolean snapshot(long[] bitmap, byte[] bytes) {
            Arrays.fill(bitmap, 0);
            boolean any = false;
            for (int s = 0; s < CHUNK_LBAS; s++) {
                if (state[s] != UNWRITTEN) {
                    bitmap[s >>> 6] |= 1L << s;
                    any = true;
                }
            }
            System.arraycopy(tuples, 0, bytes, 0, tuples.length);
            return any;
        }

        /** Marks the LBAs of a sidecar's written bitmap as written (exact guards). */
        synchronized void load(long[] bitmap) {
            for (int s = 0; s < CHUNK_LBAS; s++) {
                state[s] = (bitmap[s >>> 6] & (1L << s)) != 0 ? WRITTEN : UNWRITTEN;
            }
        }
    }
}
