package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.sim.IoPath;
import io.staleguard.device.sim.MediaPort;
import io.staleguard.device.sim.PathOperation;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.internal.KernelBackend;
import io.staleguard.device.sim.kernel.internal.ThreadedDax;
import io.staleguard.device.sim.kernel.internal.ThreadedPageCache;
import io.staleguard.device.IoCaller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apiguardian.api.API;

/**
 * The simulated Linux I/O stack as a {@link SimulatedDevice}'s I/O path, for programs and tests that
 * use the device from real threads:
 * <pre>{@code
 * SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).ioPath(KernelIoPath.of(KernelPreset.DIO_NO_INVALIDATE)).build();
 * KernelMapping region = KernelIoPath.map(dev, 0, 64 * 1024);
 * }</pre>
 *
 * <h2>Page-cache mode ({@link #of(KernelPreset)}, the constructors)</h2>
 * <ul>
 *   <li>{@link io.staleguard.device.IoMode#BUFFERED} reads go through a page cache of 4 KiB pages with
 *       read-ahead per caller (window 4 to 32 pages, triggered ahead of the reader); buffered writes
 *       copy into the cache, waiting on writeback when {@link KernelConfig#stablePages()} says so, and a
 *       background flusher (and {@code flush}, {@code force}) writes the dirty blocks of each page back
 *       (blocks, not whole pages, as buffer heads track them): PI computed when writeback starts,
 *       verified when the device takes the page after a DMA delay. The copy into the cache is where a
 *       buffered write takes the caller's bytes: bytes changed since submission (a reused buffer) are
 *       a {@code GUARD_TAG} violation, and the short-transfer tracker counts them as written.</li>
 *   <li>{@link io.staleguard.device.IoMode#DIRECT} writes invalidate the cache when they are submitted
 *       and, after their data landed, per {@link KernelConfig#directWriteInvalidation()}: read-ahead
 *       during the DMA delay (or while a {@code Stage.DMA} hook holds the write) caches the old page
 *       that only the "after" invalidation drops. Asynchronous ones are invalidated after landing per
 *       {@link KernelConfig#asyncWriteCompletion()} (a kworker thread after the completion, or before
 *       it). Direct reads write dirty pages of their range back first.</li>
 *   <li>{@link #map} gives a {@link KernelMapping}: loads and stores through the same pages, stores
 *       faulting into {@code page_mkwrite} after writeback write-protected the page.</li>
 *   <li>A filesystem on the device gives each file a page cache of its own ({@link #fileCache}, a
 *       {@link FilePageCache}): device calls on a file's blocks are served from that file's pages, with
 *       read-ahead bounded by the file's size, the file's pages dropped before its blocks are freed, and
 *       writeback on fsync, after the {@link #dirtyExpire() dirty expiry} or above the background threshold
 *       (10 % of the page budget, {@code maxPages}). The device's own cache, for raw-device I/O, is written back at every pass of the
 *       flusher.</li>
 *   <li>Writeback errors are Linux's ({@code errseq_t}, v4.13 and later): a flush or force the device's fault
 *       injector fails ({@code faults().failFsync(n)}) fails every page it writes back; those pages stay clean and
 *       cached (reads see the bytes that never landed, until {@link #dropCaches} or reclaim evicts them), their
 *       mapping records EIO, and each open channel (of a file, or of the raw device) reports it once at its next
 *       force. A page-cache fill whose read I/O fails unlocks the page and leaves it out of the cache: the read gets
 *       {@code IOException("Input/output error")}, and so does a reader that waited on the page.</li>
 *   <li>Asynchronous {@link io.staleguard.device.IoMode#DIRECT} reads ({@code readAsync}, and the
 *       {@code AsynchronousFileChannel} view) are NOWAIT iomap reads with {@code IOMAP_DIO_PARTIAL}
 *       (Filipe Manana, "[PATCH] iomap: fix incomplete async dio reads when using IOMAP_DIO_PARTIAL",
 *       2022-02-28, commit 51bd9563): extents are the runs of blocks each write allocated (a
 *       block is allocated by the first write, or mapped store, that covers it; never-written blocks
 *       are holes), and the read's buffer
 *       has only its first 4 KiB page faulted in with probability {@link #unfaultedBufferRate()}
 *       (default 1), decided from the device seed and the operation's sequence number. Under
 *       {@link PartialDirectRead#NOWAIT_PARTIAL_FIRST_EXTENT} a read whose later mapping needs a page
 *       that is not faulted in completes with the bytes of the mappings before it: the future's count
 *       is short, though not at the end of the device, and a caller that does not continue at
 *       {@code offset + count} gets a {@code SHORT_TRANSFER} violation. Under
 *       {@link PartialDirectRead#WAIT_AND_CONTINUE} every byte is returned.
 *       <pre>{@code
 * SimulatedDevice dev = SimulatedDevice.builder().blockSize(4096).ioPath(KernelIoPath.of(KernelPreset.IOMAP_DIO_PARTIAL_2022)).build();
 * for (int i = 0; i < 4; i++) dev.write(block(i), i * 4096L, IoMode.DIRECT);          // 4 single-block extents
 * int n = dev.readAsync(ByteBuffer.allocateDirect(16384), 0, IoMode.DIRECT, caller).get(); // 4096
 * }</pre></li>
 * </ul>
 * The history oracle checks every read served from the cache or a mapping, on the whole blocks it
 * was served from (a 16-byte read of a stale page is a {@code STALE_READ} of its block); guard
 * mismatches at writeback DMA are recorded as {@code GUARD_TAG} violations on the device.
 *
 * <h2>DAX mode ({@link #dax(KernelConfig)})</h2>
 * H4 (Jan Kara, replying to Ross Zwisler on linux-mm, 2017-04) under threads, with
 * {@link KernelConfig#daxFaultLocking()} in effect: no page cache; buffered and direct I/O go
 * straight to the media; pages never written are
 * holes. A write into a hole allocates its pages, then drops their mapping entries (waiting on entries
 * a fault holds locked) before its data lands. A mapped load of a page without an entry faults: the
 * block lookup and the install of the zero page (hole) or the block, with the entry lock held across
 * both only under {@link DaxFaultLocking#ENTRY_LOCK_ACROSS_LOOKUP}. Under
 * {@link DaxFaultLocking#UNLOCKED_FAULT} a write that allocates between a fault's lookup and its install
 * leaves a zero page mapped over the written block: later loads see zeros and the oracle reports
 * {@code STALE_READ}. Mapped stores write-fault (allocating) and store to the media. The race window
 * is small under real threads: {@link #pauseDaxFault} holds a fault in it, and
 * {@link #dax(KernelConfig, Duration)} adds a seeded delay to every fault.
 *
 * <h2>One model, two schedulers</h2>
 * The page cache (page flags, dirty blocks, read-ahead marks, writeback with protection information
 * computed at its start and verified at DMA, laundering, {@code page_mkwrite}), the invalidations a
 * {@link KernelConfig} asks for around direct writes, and the DAX mapping entries are the same model
 * classes that the deterministic scenarios of {@link ScenarioRunner} run. There, one thread runs one
 * step at a time in virtual time and a step that would wait is parked; here, real threads run the
 * steps under a monitor per page and per entry table, and wait on it. What differs is scheduling:
 * <ul>
 *   <li>a submission is one instant here: the "after" invalidation that 2007 kernels ran for an
 *       asynchronous write when {@code io_submit} returned falls on the same instant as the "before"
 *       one;</li>
 *   <li>the device completes all the bios of a read at its one DMA moment, after the submission
 *       returned: the partial direct read is decided whole then, and under the bug the "not so
 *       reliable" synchronous return of the commit message never happens, so every eligible read is
 *       short; an iteration pins all the buffer pages its mapping covers or faults. It exists in
 *       page-cache mode only (DAX reads go straight to the media, whole);</li>
 *   <li>the threads share one mapping: a {@link KernelMapping} loads through the DAX entries
 *       themselves, where a scenario gives each reader page tables of its own (both drop a mapping
 *       with its entry).</li>
 * </ul>
 * {@code daxFaultLocking} has no effect in page-cache mode. As in Linux, concurrent buffered and
 * direct writes to the same block are not supported (writeback can put an older copy over a direct
 * write; the oracle reports it); to different blocks of one page
 * they are fine. Thread safe. One path serves one device.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class KernelIoPath implements IoPath {

    /** Pages the cache holds before it evicts clean, unmapped pages (32 MiB). */
    public static final int DEFAULT_MAX_PAGES = 8192;
    /** Delay between writeback submission (checksum) and the device taking the page. */
    public static final long DEFAULT_WRITEBACK_DMA_NANOS = 200_000;
    /** Interval of the background flusher. */
    public static final long DEFAULT_FLUSH_INTERVAL_NANOS = 2_000_000;
    /** Default of {@link #unfaultedBufferRate()}: every asynchronous direct read, as in MariaDB's pattern. */
    public static final double DEFAULT_UNFAULTED_BUFFER_RATE = 1.0;
    /** Default of {@link #dirtyExpire()}: Linux's {@code dirty_expire_centisecs}, 30 s. */
    public static final Duration DEFAULT_DIRTY_EXPIRE = Duration.ofSeconds(30);

    private final KernelConfig config;
    private final int maxPages;
    private final long dmaNanos;
    private final long flushNanos;
    private final double unfaultedRate;
    private final boolean dax;
    private final long daxWindowNanos;
    private final long dirtyExpireNanos;
    private volatile KernelBackend backend;
    private volatile MediaPort device;
    /** Each raw-device channel's writeback error cursor ({@code file->f_wb_err}), by caller id. */
    private final ConcurrentHashMap<Long, int[]> cursors = new ConcurrentHashMap<>();

    /** A path in the state {@code config} describes, with the default cache size and timings. */
    public KernelIoPath(KernelConfig config) {
        this(config, DEFAULT_MAX_PAGES, DEFAULT_WRITEBACK_DMA_NANOS, DEFAULT_FLUSH_INTERVAL_NANOS);
    }

    /**
     * A path with explicit cache size and timings.
     *
     * @throws IllegalArgumentException naming a non-positive value
     */
    public KernelIoPath(KernelConfig config, int maxPages, long writebackDmaNanos, long flushIntervalNanos) {
        this(config, maxPages, writebackDmaNanos, flushIntervalNanos, DEFAULT_UNFAULTED_BUFFER_RATE, false, 0,
                DEFAULT_DIRTY_EXPIRE.toNanos());
    }

    private KernelIoPath(KernelConfig config, int maxPages, long writebackDmaNanos, long flushIntervalNanos,
                         double unfaultedBufferRate, boolean dax, long daxWindowNanos, long dirtyExpireNanos) {
        this.config = Objects.requireNonNull(config, "config");
        if (maxPages < 64) {
            throw new IllegalArgumentException("maxPages must be >= 64, was " + maxPages);
        }
        if (writebackDmaNanos < 0) {
            throw new IllegalArgumentException("writebackDmaNanos must be >= 0, was " + writebackDmaNanos);
        }
        if (flushIntervalNanos <= 0) {
            throw new IllegalArgumentException("flushIntervalNanos must be > 0, was " + flushIntervalNanos);
        }
        this.maxPages = maxPages;
        this.dmaNanos = writebackDmaNanos;
        this.flushNanos = flushIntervalNanos;
        if (!(unfaultedBufferRate >= 0 && unfaultedBufferRate <= 1)) {
            throw new IllegalArgumentException("unfaultedBufferRate must be in [0, 1], was " + unfaultedBufferRate);
        }
        this.unfaultedRate = unfaultedBufferRate;
        this.dax = dax;
        this.daxWindowNanos = daxWindowNanos;
        this.dirtyExpireNanos = dirtyExpireNanos;
    }

    /** A page-cache path in the state {@code preset} describes, with the default cache size and timings. */
    public static KernelIoPath of(KernelPreset preset) {
        return new KernelIoPath(Objects.requireNonNull(preset, "preset").config());
    }

    /** A page-cache path in the state {@code config} describes, with the default cache size and timings. */
    public static KernelIoPath of(KernelConfig config) {
        return new KernelIoPath(config);
    }

    /** A DAX path in the state {@code config} describes, with no added fault window. */
    public static KernelIoPath dax(KernelConfig config) {
        return dax(config, Duration.ZERO);
    }

    /**
     * A DAX path whose read faults wait a seeded delay in [0, {@code faultWindow}] between the block
     * lookup and the entry install (the natural window of the race Jan Kara described, widened so that
     * stress tests on real threads meet it).
     *
     * @throws IllegalArgumentException naming a negative or too long window (at most 1 s)
     */
    public static KernelIoPath dax(KernelConfig config, Duration faultWindow) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(faultWindow, "faultWindow");
        if (faultWindow.isNegative() || faultWindow.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("DAX fault window " + faultWindow + " is not in [0, 1 s]");
        }
        return new KernelIoPath(config, DEFAULT_MAX_PAGES, DEFAULT_WRITEBACK_DMA_NANOS, DEFAULT_FLUSH_INTERVAL_NANOS,
                DEFAULT_UNFAULTED_BUFFER_RATE, true, faultWindow.toNanos(), DEFAULT_DIRTY_EXPIRE.toNanos());
    }

    /**
     * This path with another probability that an asynchronous direct read's buffer has only its first
     * page faulted in (MariaDB's fresh buffer); the other reads find every buffer page resident, so
     * even the buggy {@link PartialDirectRead} returns them whole. Drawn per operation from the device
     * seed and its sequence number: one seed, one program, the same short reads.
     *
     * @throws IllegalArgumentException naming a rate outside [0, 1]
     */
    public KernelIoPath unfaultedBufferRate(double rate) {
        return new KernelIoPath(config, maxPages, dmaNanos, flushNanos, rate, dax, daxWindowNanos, dirtyExpireNanos);
    }

    /**
     * This path with another dirty expiry: how long a file's pages stay dirty before the periodic flusher writes
     * them back ({@code dirty_expire_centisecs}; {@link Duration#ZERO}: at the flusher's next pass). It applies to
     * the page caches of a filesystem's files ({@link #fileCache}); the device's own cache is written back at
     * every pass of the flusher whatever the expiry.
     *
     * @throws IllegalArgumentException naming a negative expiry
     */
    public KernelIoPath dirtyExpire(Duration expire) {
        Objects.requireNonNull(expire, "expire");
        if (expire.isNegative()) {
            throw new IllegalArgumentException("dirty expiry must be >= 0, was " + expire);
        }
        return new KernelIoPath(config, maxPages, dmaNanos, flushNanos, unfaultedRate, dax, daxWindowNanos,
                expire.toNanos());
    }

    /** How long a file's pages stay dirty before the periodic flusher takes them ({@link #DEFAULT_DIRTY_EXPIRE}). */
    public Duration dirtyExpire() {
        return Duration.ofNanos(dirtyExpireNanos);
    }

    /** The probability that an asynchronous direct read's buffer has only its first page faulted in. */
    public double unfaultedBufferRate() {
        return unfaultedRate;
    }

    /** The switches this path runs with. */
    public KernelConfig config() {
        return config;
    }

    /** Whether this path runs DAX (no page cache) rather than the page cache. */
    public boolean isDax() {
        return dax;
    }

    /** The DAX fault window ({@link Duration#ZERO} without one, and in page-cache mode). */
    public Duration daxFaultWindow() {
        return Duration.ofNanos(daxWindowNanos);
    }

    /** Pages cached now, in the device's cache and its files' (0 before the first I/O, and always in DAX mode). */
    public int cachedPages() {
        KernelBackend c = backend;
        return c == null ? 0 : c.cachedPages();
    }

    /**
     * How many times a DAX write's invalidation waited on a mapping entry a read fault held locked:
     * Jan Kara's fix serialising a race (0 in page-cache mode and under {@link DaxFaultLocking#UNLOCKED_FAULT}).
     */
    public long daxInvalidationWaits() {
        return backend instanceof ThreadedDax d ? d.invalidationWaits() : 0;
    }

    private KernelBackend backend(MediaPort dev) {
        KernelBackend c = backend;
        if (c == null) {
            synchronized (this) {
                c = backend;
                if (c == null) {
                    c = dax ? new ThreadedDax(config, dev, daxWindowNanos)
                            : new ThreadedPageCache(config, dev, maxPages, dmaNanos, flushNanos, unfaultedRate,
                                    dirtyExpireNanos);
                    device = dev;
                    backend = c;
                }
            }
        }
        if (device != dev) {
            throw alreadyServes();
        }
        return c;
    }

    private IllegalStateException alreadyServes() {
        return new IllegalStateException("this KernelIoPath already serves " + device.describe()
                + "; build one path per device");
    }

    @Override
    public synchronized void attach(MediaPort port) {
        if (device != null && device != port) {
            throw alreadyServes();
        }
        device = port;
    }

    @Override
    public void submitted(PathOperation op, MediaPort dev) {
        backend(dev).submitted(op);
    }

    @Override
    public boolean transfer(PathOperation op, MediaPort dev) throws IOException {
        try {
            backend(dev).transfer(op);
        } catch (UncheckedIOException e) {
            // A page-cache fill whose read I/O failed: the read(2) that needed the page gets the error.
            throw e.getCause();
        }
        return true;
    }

    @Override
    public void flush(MediaPort dev) {
        KernelBackend c = backend;
        if (c != null) {
            c.writebackAll();
        }
    }

    /**
     * Writes back every cache (as {@link #flush}); with {@code failWriteback} every page of that writeback fails: it
     * stays clean and cached, its data never reaches the media, and its mapping records EIO. Then the device's own
     * mapping's error is reported once to {@code caller} (a raw-device channel, through its cursor sampled when it
     * was opened); a failing flush always throws to its caller. A file's errors are its own page cache's
     * ({@link FilePageCache#fsync(int[], boolean)}).
     */
    @Override
    public void force(IoCaller caller, boolean failWriteback, MediaPort dev) throws IOException {
        KernelBackend c = failWriteback ? backend(dev) : backend;
        if (c != null) {
            c.writebackAll(failWriteback);
        }
        int err = 0;
        if (caller != null && c != null) {
            int[] cursor = cursors.computeIfAbsent(caller.id(), k -> new int[1]);
            synchronized (cursor) {
                err = c.deviceErrors().checkAndAdvance(cursor);
            }
        }
        if (err != 0 || failWriteback) {
            throw new IOException("Input/output error");
        }
    }

    /** Samples the device mapping's writeback error for the new channel, as {@code open(2)} does. */
    @Override
    public void callerOpened(IoCaller caller, MediaPort dev) {
        KernelBackend c = backend;
        cursors.put(caller.id(), new int[] {c == null ? 0 : c.deviceErrors().sample()});
    }

    @Override
    public void callerClosed(IoCaller caller, MediaPort dev) {
        cursors.remove(caller.id());
    }

    /**
     * {@code echo 1 > /proc/sys/vm/drop_caches} on {@code dev}: every clean, unmapped page of the device's cache and of
     * its files' caches is evicted, so the next read fills from the media. Pages whose writeback failed are clean, so
     * they go too, and a read then shows what the media holds (the oracle reports it as a {@code STALE_READ}). Dirty
     * pages, pages under writeback and mapped pages stay. Does nothing in DAX mode or before the first I/O.
     *
     * @throws IllegalArgumentException if the device has no {@link KernelIoPath}
     */
    public static void dropCaches(SimulatedDevice dev) {
        KernelBackend c = pathOf(dev).backend;
        if (c != null) {
            c.dropCaches();
        }
    }

    /**
     * The power is lost: every page of the device's cache and of every file's cache ({@link #fileCache})
     * is dropped, dirty or not, without writeback, and with it each cache's writeback error (a channel
     * opened after the cycle hears of no fsync error from before, as after a reboot); the flusher and kworker are stopped first (so none
     * lands data after the device switched its media) and start again with the next I/O. The file
     * caches a filesystem holds stay valid and empty. In DAX mode every mapping entry is dropped, so
     * the next load faults against the media as it is now. Read-ahead state and the H5 extents
     * learned from writes are per path: read-ahead is forgotten, extents are kept.
     */
    @Override
    public void powerLost(MediaPort dev) {
        KernelBackend c = backend;
        if (c != null) {
            c.powerLost();
        }
    }

    @Override
    public void close(MediaPort dev) {
        KernelBackend c = backend;
        if (c != null) {
            c.close();
        }
    }

    /**
     * Maps {@code [offset, offset + length)} of a device built with a kernel path (page cache or DAX).
     *
     * @throws IllegalArgumentException if the device has no {@link KernelIoPath} or the range is outside it
     */
    public static KernelMapping map(SimulatedDevice dev, long offset, long length) {
        KernelIoPath path = pathOf(dev);
        if (offset < 0 || length <= 0 || offset > dev.capacity() - length) {
            throw new IllegalArgumentException("mapping [" + offset + ", +" + length + ") is outside the device's "
                    + dev.capacity() + " bytes");
        }
        return new KernelMapping(path.backend(path.device), offset, length);
    }

    /**
     * A page cache for one file of a filesystem kept on {@code dev} ({@code iget} of a new inode), whose size is
     * {@code size}; empty when the device has no page cache (no {@link KernelIoPath}, or one in DAX mode, where file
     * I/O goes to the media as raw-device I/O does). See {@link FilePageCache} for what the filesystem tells it.
     */
    public static Optional<FilePageCache> fileCache(SimulatedDevice dev, LongSupplier size) {
        Objects.requireNonNull(dev, "device");
        Objects.requireNonNull(size, "size");
        if (!(dev.ioPath() instanceof KernelIoPath path) || path.dax) {
            return Optional.empty();
        }
        return Optional.of(((ThreadedPageCache) path.backend(path.device)).openFile(size));
    }

    /**
     * Arms a {@link DaxFaultGate} that holds the next read fault on the page holding {@code offset}
     * between its block lookup and its entry install.
     *
     * @throws IllegalArgumentException if the device has no {@link KernelIoPath} or the offset is outside it
     * @throws IllegalStateException    if the device's path is not in DAX mode
     */
    public static DaxFaultGate pauseDaxFault(SimulatedDevice dev, long offset) {
        KernelIoPath path = pathOf(dev);
        if (!path.dax) {
            throw new IllegalStateException("device " + dev.describe() + " runs the page cache, not DAX; build it "
                    + "with SimulatedDevice.builder().ioPath(KernelIoPath.dax(...)) to pause DAX faults");
        }
        if (offset < 0 || offset >= dev.capacity()) {
            throw new IllegalArgumentException("offset " + offset + " is outside the device's " + dev.capacity()
                    + " bytes");
        }
        return ((ThreadedDax) path.backend(path.device)).pauseFault(offset);
    }

    private static KernelIoPath pathOf(SimulatedDevice dev) {
        Objects.requireNonNull(dev, "device");
        if (!(dev.ioPath() instanceof KernelIoPath path)) {
            throw new IllegalArgumentException("device " + dev.describe()
                    + " has no simulated kernel path; build it with SimulatedDevice.builder().ioPath(KernelIoPath.of(...)) or .ioPath(KernelIoPath.dax(...))");
        }
        return path;
    }
}
