package io.staleguard.device.file;

import io.staleguard.device.IoMode;
import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.file.internal.MixingTracker;
import io.staleguard.device.file.internal.PosixMedia;
import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.integrity.ProtectionInformation;
import io.staleguard.device.integrity.TagMismatch;
import io.staleguard.device.internal.DeviceSettings;
import io.staleguard.device.internal.IoOp;
import io.staleguard.device.internal.VerifyingBlockDevice;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.InitialContent;
import io.staleguard.device.oracle.OperationLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the real backends ({@link FileDevice} and {@code LoopDevice}) share: the verifying front
 * end of every {@link io.staleguard.device.BlockDevice} (protection information at submission,
 * the history oracle, short-transfer tracking, interleaving hooks) over a real file or block
 * device reached through jnr-posix.
 *
 * <p>Each call takes the kernel path its {@link IoMode} names: {@link IoMode#BUFFERED} goes
 * through the page cache with {@code pread}/{@code pwrite}, {@link IoMode#DIRECT} through a
 * descriptor opened with {@code O_DIRECT}. Asynchronous calls run on the device's executor,
 * like the JDK's {@code AsynchronousFileChannel}: the caller's buffer is taken when the worker
 * gets to it, so a buffer changed after submission is caught as a
 * {@link io.staleguard.device.ViolationKind#GUARD_TAG} violation. Where no hardware checks
 * protection information, what landed is read back and verified after each write
 * ({@code verifyAfterWrite}) or in a {@link #scrub()} pass.
 */
public abstract class RealBlockDevice extends VerifyingBlockDevice {

    /** The mode of the operation the current thread is transferring; null outside a transfer. */
    private static final ThreadLocal<IoMode> MODE = new ThreadLocal<>();

    private final PosixMedia media;
    private final boolean verifyAfterWrite;
    private final MixingTracker mixing;
    private final IoMode rawMode;
    private final Object mapLock = new Object();
    private FileChannel mapChannel;
    private final java.util.List<MappedRegion> regions = new java.util.ArrayList<>();

    /** Subclasses: wraps {@code media} (already open, at least {@code settings.capacity()} bytes). */
    protected RealBlockDevice(DeviceSettings settings, InitialContent initial, PosixMedia media,
                              boolean verifyAfterWrite) {
        super(settings, initial);
        this.media = media;
        this.verifyAfterWrite = verifyAfterWrite;
        this.mixing = new MixingTracker(settings.blockSize());
        this.rawMode = media.directSupported() ? IoMode.DIRECT : IoMode.BUFFERED;
        recorder().setClassifier(mixing::classify);
    }

    /** The file or block device the data lives in. */
    public final Path path() {
        return media.path();
    }

    /** Whether each write is read back and verified once its system call returned. */
    public final boolean verifiesAfterWrite() {
        return verifyAfterWrite;
    }

    // ------------------------------------------------------------------ media SPI

    @Override
    protected final void readMedia(long offset, byte[] dst, int off, int len) throws IOException {
        media.read(offset, dst, off, len, mode());
    }

    @Override
    protected final void writeMedia(long offset, byte[] src, int off, int len) throws IOException {
        IoMode m = mode();
        media.write(offset, src, off, len, m);
        if (m == IoMode.DIRECT && mixing.active()) {
            mixing.directWrite(offset, len);
        }
    }

    @Override
    protected final boolean transferThroughPath(IoOp op) throws IOException {
        IoMode previous = MODE.get();
        MODE.set(op.mode());
        try {
            transferToMedia(op);
        } finally {
            if (previous == null) {
                MODE.remove();
            } else {
                MODE.set(previous);
            }
        }
        return true;
    }

    /** Reads outside an operation (short-write resolution, scrub) see the media: O_DIRECT where possible. */
    private IoMode mode() {
        IoMode m = MODE.get();
        return m != null ? m : rawMode;
    }

    @Override
    protected final boolean verifyByReadBack() {
        return verifyAfterWrite;
    }

    @Override
    protected final void flushMedia() throws IOException {
        media.fdatasync();
    }

    @Override
    protected final void closeMedia() throws IOException {
        try {
            synchronized (mapLock) {
                // Unmap now: a live mapping keeps the file, and a loop device or mount, busy.
                for (MappedRegion r : regions) {
                    r.close();
                }
                regions.clear();
                if (mapChannel != null) {
                    mapChannel.close();
                }
            }
            media.close();
        } finally {
            releaseBackend();
        }
    }

    /** Called once after the media was closed: delete a temporary file, detach a loop device. */
    protected void releaseBackend() throws IOException {
    }

    // ------------------------------------------------------------------ real-kernel extras

    /** fsync(2): data and metadata durable. */
    public final void fsync() throws IOException {
        requireOpen();
        media.fsync();
    }

    /** fdatasync(2): data durable. */
    public final void fdatasync() throws IOException {
        requireOpen();
        media.fdatasync();
    }

    /** posix_fadvise(2) on a range; {@code length} 0 means to the end. WILLNEED starts read-ahead. */
    public final void advise(long offset, long length, Advice advice) throws IOException {
        requireOpen();
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("advise range [" + offset + ",+" + length + ") is negative");
        }
        media.fadvise(offset, length, advice);
        operationLog().append(System.nanoTime(), Thread.currentThread().getName(),
                advice == Advice.WILLNEED ? TimelineEvent.Type.READAHEAD : TimelineEvent.Type.NOTE, offset, length, 0,
                "posix_fadvise " + advice);
    }

    /**
     * Maps {@code [offset, offset + length)} read-write ({@link FileChannel#map}). Offset and
     * length must be multiples of the logical block size.
     */
    public final MappedRegion map(long offset, int length) throws IOException {
        requireOpen();
        int bs = logicalBlockSize();
        if (offset < 0 || length <= 0 || offset % bs != 0 || length % bs != 0 || offset + length > capacity()) {
            throw new IllegalArgumentException("map range [" + offset + ",+" + length + ") is not whole blocks of "
                    + bs + " B within the capacity " + capacity());
        }
        MappedByteBuffer mb;
        synchronized (mapLock) {
            requireOpen();
            if (mapChannel == null) {
                mapChannel = FileChannel.open(path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            mb = mapChannel.map(FileChannel.MapMode.READ_WRITE, offset, length);
            MappedRegion region = new MappedRegion(this, mb, offset, length);
            regions.add(region);
            mixing.mapped(offset, length);
            operationLog().append(System.nanoTime(), Thread.currentThread().getName(), TimelineEvent.Type.NOTE, offset,
                    length, 0, "mmap");
            return region;
        }
    }

    /**
     * A store through a mapping, told to the PI store and the oracle as a write of the blocks it
     * touches. The new content is announced before the store makes it visible (the oracle's
     * rule for landing), so a reader that sees it finds a known version.
     */
    final void mappedStore(MappedRegion region, int index, ByteBuffer src) throws IOException {
        requireOpen();
        int n = src.remaining();
        if (n == 0) {
            return;
        }
        int bs = logicalBlockSize();
        long devOff = region.offset() + index;
        long aStart = devOff & -bs;
        long aEnd = (devOff + n + bs - 1) & -bs;
        int span = (int) (aEnd - aStart);
        int regionStart = (int) (aStart - region.offset());
        HistoryOracle oracle = oracle();
        String thread = Thread.currentThread().getName();
        MappedByteBuffer mb = region.buffer();
        synchronized (region) {
            long id = oracle != null ? oracle.writeSubmitted(aStart, span, thread) : 0;
            byte[] blocks = new byte[span];
            mb.get(regionStart, blocks, 0, span);
            src.get(src.position(), blocks, (int) (devOff - aStart), n);
            PiStore store = piStore();
            if (store != null) {
                int count = span / bs;
                byte[] tuples = new byte[count * protection().tupleSize()];
                ProtectionInformation.generate(protection(), ByteBuffer.wrap(blocks), bs, aStart / bs, 0,
                        settings.appTag(), tuples, 0);
                store.put(aStart / bs, tuples, 0, count);
            }
            if (oracle != null) {
                oracle.writeLanded(id, aStart, ByteBuffer.wrap(blocks));
            }
            mb.put(index, src, src.position(), n);
            src.position(src.limit());
            operationLog().append(System.nanoTime(), thread, TimelineEvent.Type.MAP_STORE, devOff, n, id, "mmap store");
            mixing.stored(aStart, span);
            if (oracle != null) {
                oracle.writeCompleted(id);
            }
        }
    }

    /**
     * msync of a region. A failure on a range where mmap stores and O_DIRECT writes were mixed is
     * the kernel reporting that it could not invalidate the page cache after a direct write
     * ("Page cache invalidation failure on direct I/O"); it is also recorded as
     * {@link io.staleguard.device.ViolationKind#UNSUPPORTED_MIXING}.
     */
    final void mappedForce(MappedRegion region) throws IOException {
        try {
            region.buffer().force();
        } catch (java.io.UncheckedIOException e) {
            if (mixing.mixed(region.offset(), region.length())) {
                recorder().record(new Violation(io.staleguard.device.ViolationKind.UNSUPPORTED_MIXING, region.offset(),
                        region.length(), region.offset() / logicalBlockSize(), "msync succeeds",
                        e.getCause().getMessage(), -1, Thread.currentThread().getName(), java.util.List.of(),
                        "msync of the mapped range failed after mmap stores and O_DIRECT writes were mixed on it:"
                        + " the kernel could not invalidate its page cache after a direct write and reports EIO"
                        + " (mixing the kernel documents as unsupported)",
                        operationLog().around(region.offset(), region.length(), OperationLog.DEFAULT_AROUND)));
            }
            throw e.getCause();
        }
    }

    /** A load through a mapping: checked by the oracle as data served from above the device. */
    final void mappedLoad(long offset, byte[] bytes) {
        if (oracle() != null) {
            checkServed(offset, ByteBuffer.wrap(bytes));
        }
    }

    /**
     * Reads back every block that has protection information and verifies it: what landed on the
     * media against what was submitted. Run it while no writes are in flight (a mismatch is
     * re-read once before it is recorded, so a write landing meanwhile is not reported).
     *
     * @return the number of blocks verified
     */
    public final long scrub() throws IOException {
        requireOpen();
        PiStore store = piStore();
        if (store == null) {
            return 0;
        }
        int bs = logicalBlockSize();
        int tuple = protection().tupleSize();
        long lbas = capacity() / bs;
        int chunk = Math.max(1, (1 << 20) / bs);
        byte[] data = new byte[chunk * bs];
        byte[] tuples = new byte[chunk * tuple];
        long verified = 0;
        for (long lba = 0; lba < lbas; lba += chunk) {
            int count = (int) Math.min(chunk, lbas - lba);
            if (!anyWritten(store, lba, count)) {
                continue;
            }
            readRaw(lba * bs, ByteBuffer.wrap(data, 0, count * bs));
            store.get(lba, tuples, 0, count);
            int from = 0;
            while (from < count) {
                TagMismatch m = ProtectionInformation.verify(protection(), ByteBuffer.wrap(data, from * bs,
                        (count - from) * bs), bs, lba + from, 0, tuples, from * tuple, settings.appTag(), 0xFFFF);
                if (m == null) {
                    break;
                }
                int at = from + m.intervalIndex();
                if (stillMismatched(store, lba + at)) {
                    long off = (lba + at) * bs;
                    recorder().record(new Violation(m.kind(), off, bs, lba + at, m.expectedHex(), m.actualHex(), -1,
                            Thread.currentThread().getName(), java.util.List.of(), m.describe()
                            + " — scrub pass: the block read back from " + path() + " does not match the protection"
                            + " information computed when it was submitted",
                            operationLog().around(off, bs, OperationLog.DEFAULT_AROUND)));
                }
                from = at + 1;
            }
            for (int i = 0; i < count; i++) {
                if (store.isWritten(lba + i)) {
                    verified++;
                }
            }
        }
        return verified;
    }

    private static boolean anyWritten(PiStore store, long lba, int count) {
        for (int i = 0; i < count; i++) {
            if (store.isWritten(lba + i)) {
                return true;
            }
        }
        return false;
    }

    private boolean stillMismatched(PiStore store, long lba) {
        int bs = logicalBlockSize();
        byte[] one = new byte[bs];
        byte[] t = new byte[protection().tupleSize()];
        readRaw(lba * bs, ByteBuffer.wrap(one));
        store.get(lba, t, 0, 1);
        return ProtectionInformation.verify(protection(), ByteBuffer.wrap(one), bs, lba, 0, t, 0, settings.appTag(),
                0xFFFF) != null;
    }

    /** Saves the PI store to a sidecar file (atomically). */
    protected final void savePi(Path sidecar) throws IOException {
        PiStore store = piStore();
        if (store != null) {
            store.saveTo(sidecar);
        }
    }

    /** Loads tuples saved by {@link #savePi} into this device's PI store; returns how many blocks. */
    protected final long loadPi(Path sidecar) throws IOException {
        PiStore store = piStore();
        if (store == null) {
            return 0;
        }
        PiStore saved = PiStore.loadFrom(sidecar);
        if (saved.tupleSize() != store.tupleSize() || saved.capacity() != store.capacity()) {
            throw new IOException("PI sidecar " + sidecar + " holds " + saved.capacity() + " tuples of "
                    + saved.tupleSize() + " B; this device needs " + store.capacity() + " of " + store.tupleSize() + " B");
        }
        byte[] t = new byte[store.tupleSize()];
        long n = 0;
        for (long lba = 0; lba < saved.capacity(); lba++) {
            if (saved.isWritten(lba)) {
                saved.get(lba, t, 0, 1);
                store.put(lba, t, 0, 1);
                n++;
            }
        }
        return n;
    }

    private void requireOpen() throws IOException {
        if (isClosed()) {
            throw new io.staleguard.device.internal.DeviceClosedException(describe());
        }
    }
}
