package io.staleguard.device.file;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.IoMode;
import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.core.DeviceSettings;
import io.staleguard.device.core.ForwardingDevice;
import io.staleguard.device.core.internal.DeviceClosedException;
import io.staleguard.device.core.internal.FrontEnd;
import io.staleguard.device.core.internal.OperationFactory;
import io.staleguard.device.file.internal.IoAction;
import io.staleguard.device.file.internal.MixingTracker;
import io.staleguard.device.file.internal.PosixMedia;
import io.staleguard.device.file.internal.RealMedia;
import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.integrity.ProtectionInformation;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.InitialContent;
import io.staleguard.device.oracle.OperationLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apiguardian.api.API;

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
 *
 * <p>A backend class builds one over the {@link RealTarget} it opened and says how it describes
 * itself and what it releases when the device closes; it overrides nothing.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class RealBlockDevice extends ForwardingDevice {

    /** What a backend releases once its media closed: delete a temporary file, detach a loop device. */
    @FunctionalInterface
    public interface Release {
        /** Releases it. */
        void release() throws IOException;
    }

    private final FrontEnd core;
    private final RealMedia media;
    private final PosixMedia posix;
    private final MixingTracker mixing;
    private final boolean verifyAfterWrite;
    private final Object mapLock = new Object();
    private FileChannel mapChannel;
    private final List<MappedRegion> regions = new ArrayList<>();

    /**
     * A real device over {@code target} (already open, at least {@code settings.capacity()} bytes).
     *
     * @param settings         the validated options
     * @param initial          what the oracle assumes of blocks it has not seen written
     * @param target           the opened file or block device; the device closes it
     * @param verifyAfterWrite whether each write is read back and verified
     * @param description      the backend part of {@link #describe()}, e.g. {@code FileDevice(/path)}
     * @param release          run once after the media closed
     */
    protected RealBlockDevice(DeviceSettings settings, InitialContent initial, RealTarget target,
                              boolean verifyAfterWrite, Supplier<String> description, Release release) {
        this(settings, initial, new RealMedia(target.posix(), settings.blockSize(), verifyAfterWrite, description,
                release::release), null);
    }

    /** As the protected constructor, with a PI sidecar saved on flush and close (the file device's). */
    RealBlockDevice(DeviceSettings settings, InitialContent initial, RealMedia media, PiSidecar sidecar) {
        this(media, new FrontEnd(settings, initial, media, media.route(), OperationFactory.PLAIN), sidecar);
    }

    private RealBlockDevice(RealMedia media, FrontEnd core, PiSidecar sidecar) {
        super(core);
        this.core = core;
        this.media = media;
        this.posix = media.posix();
        this.mixing = media.mixing();
        this.verifyAfterWrite = media.verifyByReadBack();
        IoAction beforeClose = sidecar == null || !sidecar.saveOnClose() ? this::unmapAll : () -> {
            unmapAll();
            sidecar.save(core.piStore());
        };
        media.bind(core, beforeClose, sidecar == null ? IoAction.NONE : () -> sidecar.save(core.piStore()));
        recorder().setClassifier(mixing::classify);
    }

    /** The PI store, for the file device's sidecar; null when protection is off. */
    final PiStore piStore() {
        return core.piStore();
    }

    /** The file or block device the data lives in. */
    public final Path path() {
        return posix.path();
    }

    /** Whether each write is read back and verified once its system call returned. */
    public final boolean verifiesAfterWrite() {
        return verifyAfterWrite;
    }

    /** Unmaps now, before the media closes: a live mapping keeps the file, and a loop device or mount, busy. */
    private void unmapAll() throws IOException {
        synchronized (mapLock) {
            for (MappedRegion r : regions) {
                r.close();
            }
            regions.clear();
            if (mapChannel != null) {
                mapChannel.close();
            }
        }
    }

    // ------------------------------------------------------------------ real-kernel extras

    /** fsync(2): data and metadata durable. */
    public final void fsync() throws IOException {
        requireOpen();
        posix.fsync();
    }

    /** fdatasync(2): data durable. */
    public final void fdatasync() throws IOException {
        requireOpen();
        posix.fdatasync();
    }

    /** posix_fadvise(2) on a range; {@code length} 0 means to the end. WILLNEED starts read-ahead. */
    public final void advise(long offset, long length, Advice advice) throws IOException {
        requireOpen();
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("advise range [" + offset + ",+" + length + ") is negative");
        }
        posix.fadvise(offset, length, advice);
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
            PiStore store = core.piStore();
            if (store != null) {
                int count = span / bs;
                byte[] tuples = new byte[count * protection().tupleSize()];
                ProtectionInformation.generate(protection(), ByteBuffer.wrap(blocks), bs, aStart / bs, 0,
                        core.settings().appTag(), tuples, 0);
                store.put(aStart / bs, tuples, 0, count);
            }
            if (oracle != null) {
                oracle.writeLanded(id, aStart, ByteBuffer.wrap(blocks));
            }
            // Marked before the store: a read racing it must already find the range mixed.
            mixing.stored(aStart, span);
            mb.put(index, src, src.position(), n);
            src.position(src.limit());
            operationLog().append(System.nanoTime(), thread, TimelineEvent.Type.MAP_STORE, devOff, n, id, "mmap store");
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
                recorder().record(Violation.of(ViolationKind.UNSUPPORTED_MIXING)
                        .at(region.offset(), region.length(), region.offset() / logicalBlockSize())
                        .saw("msync succeeds", e.getCause().getMessage())
                        .by(Thread.currentThread().getName(), List.of())
                        .detail("msync of the mapped range failed after mmap stores and O_DIRECT writes were mixed on it:"
                                + " the kernel could not invalidate its page cache after a direct write and reports EIO"
                                + " (mixing the kernel documents as unsupported)")
                        .timeline(operationLog().around(region.offset(), region.length(), OperationLog.DEFAULT_AROUND))
                        .build());
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
        PiStore store = core.piStore();
        if (store == null) {
            return 0;
        }
        int bs = logicalBlockSize();
        int tuple = protection().tupleSize();
        int appTag = core.settings().appTag();
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
            ProtectionInformation.verifyEach(protection(), ByteBuffer.wrap(data, 0, count * bs), bs, lba, 0, tuples, 0,
                    appTag, 0xFFFF, m -> {
                        if (stillMismatched(store, m.lba())) {
                            long off = m.lba() * bs;
                            recorder().record(Violation.of(m.kind()).at(off, bs, m.lba())
                                    .saw(m.expectedHex(), m.actualHex())
                                    .by(Thread.currentThread().getName(), List.of())
                                    .detail(m.describe() + " — scrub pass: the block read back from " + path()
                                            + " does not match the protection information computed when it was"
                                            + " submitted")
                                    .timeline(operationLog().around(off, bs, OperationLog.DEFAULT_AROUND)).build());
                        }
                    });
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
        return ProtectionInformation.verify(protection(), ByteBuffer.wrap(one), bs, lba, 0, t, 0, core.settings().appTag(),
                0xFFFF) != null;
    }

    private void requireOpen() throws IOException {
        if (isClosed()) {
            throw new DeviceClosedException(describe());
        }
    }
}
