package io.staleguard.device.sim;

import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.internal.DeviceSettings;
import io.staleguard.device.internal.IoOp;
import io.staleguard.device.internal.OptionChecks;
import io.staleguard.device.internal.VerifyingBlockDevice;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded default block device: pure Java, in memory, with protection information, the
 * history oracle, seeded short transfers, a DMA model and interleaving hooks.
 *
 * <pre>{@code
 * try (SimulatedDevice dev = SimulatedDevice.builder().capacity(64 << 20).blockSize(4096).seed(42).build()) {
 *     dev.write(buf, 0, IoMode.DIRECT);
 *     assertThat(dev.violations().total()).isZero();
 * }
 * }</pre>
 *
 * <h2>Media</h2>
 * Allocated lazily in 256 KiB chunks (creating a 64 MiB device allocates no media), plus a lazily
 * allocated PI store. Never-written blocks read as zeros and carry the escape tuple.
 *
 * <h2>Randomness</h2>
 * One seed, shown by {@link #describe()} and in {@link #reproduce()}, drives every random
 * decision: each operation's DMA delay, whether its transfer is cut short and by how much, and
 * through the delays the order in which reordered asynchronous operations land. Each decision
 * is a function of the seed and the operation's sequence number, so a single-threaded program
 * sees the same decisions on every run; with several threads the thread interleaving itself is
 * the JVM's (force specific races with {@link #hooks()}).
 *
 * <h2>DMA model</h2>
 * A write's protection information is generated at submission from the caller's buffer; the
 * data is taken from the buffer after a seeded delay in [{@code dmaDelay} min, max]: for
 * asynchronous calls on one of the device's worker threads, for synchronous calls on the calling
 * thread (which is blocked in the call anyway, as in a real {@code pwrite}). Asynchronous
 * operations land and complete in {@link CompletionOrder#FIFO} or {@link CompletionOrder#REORDERED}
 * order. Completion callbacks of asynchronous operations run on device worker threads.
 *
 * <h2>Hooks</h2>
 * {@code device.hooks().pause(OpMatcher.writes().overlapping(off, len).atStage(Stage.DMA))}
 * holds the first matching operation until the returned gate is released.
 *
 * <h2>Extension</h2>
 * {@link Builder#ioPath(IoPath)} puts a path (a simulated page cache) between the front end and
 * the media. {@link #tamper()} corrupts the media under the device, for tests of the detectors.
 */
public final class SimulatedDevice extends VerifyingBlockDevice {

    private final ChunkedMedia media;
    private final IoPath ioPath;
    private final ConcurrentHashMap<Long, Long> misdirections = new ConcurrentHashMap<>();
    private final MediaTamper tamper = new MediaTamper(this);

    private SimulatedDevice(DeviceSettings settings, IoPath ioPath) {
        super(settings);
        this.media = new ChunkedMedia(settings.capacity());
        this.ioPath = ioPath;
    }

    /** A builder with the defaults documented on each option. */
    public static Builder builder() {
        return new Builder();
    }

    /** Test support: corrupt or misdirect data under the device. */
    public MediaTamper tamper() {
        return tamper;
    }

    /** Bytes of simulated media allocated so far (chunks touched by writes). */
    public long allocatedMediaBytes() {
        return media.allocatedBytes();
    }

    /** The I/O path in front of the media, or null. */
    public IoPath ioPath() {
        return ioPath;
    }

    /** A Java expression that builds this device again with the same seed and options. */
    public String reproduce() {
        DeviceSettings s = settings;
        return "SimulatedDevice.builder().capacity(" + s.capacity() + "L).blockSize(" + s.blockSize()
                + ").protection(ProtectionFormat." + s.protection().name() + ").seed(0x" + Long.toHexString(s.seed())
                + "L).shortTransferProbability(" + s.shortTransferProbability() + ").dmaDelay(Duration.ofNanos("
                + s.dmaDelayMinNanos() + "), Duration.ofNanos(" + s.dmaDelayMaxNanos() + ")).workers(" + s.workers()
                + ").completionOrder(CompletionOrder." + s.completionOrder() + ").build()";
    }

    @Override
    protected void readMedia(long offset, byte[] dst, int off, int len) {
        media.read(offset, dst, off, len);
    }

    @Override
    protected void writeMedia(long offset, byte[] src, int off, int len) {
        media.write(offset, src, off, len);
    }

    @Override
    protected long landingOffset(IoOp op) {
        if (misdirections.isEmpty()) {
            return op.offset();
        }
        Long to = misdirections.remove(op.offset());
        return to == null ? op.offset() : to;
    }

    @Override
    protected boolean transferThroughPath(IoOp op) throws IOException {
        return ioPath != null && ioPath.transfer(op, this);
    }

    @Override
    protected void submittedToPath(IoOp op) {
        if (ioPath != null) {
            ioPath.submitted(op, this);
        }
    }

    @Override
    protected void flushMedia() throws IOException {
        // flush() and force() both write back what the path caches, as fsync does for the page cache.
        if (ioPath != null) {
            ioPath.flush(this);
        }
    }

    @Override
    protected void drainBeforeFinalCheck() {
        if (ioPath != null) {
            try {
                ioPath.flush(this);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("writing back the I/O path before the final check failed", e);
            }
        }
    }

    @Override
    protected void closeMedia() {
        if (ioPath != null) {
            ioPath.close(this);
        }
    }

    /**
     * For {@link IoPath}s that cache data (the simulated page cache's writeback): stores whole blocks
     * on the media with fresh protection information carrying this device's application tag. The
     * caller has verified the data against the tuples it computed at its own submission; the
     * history oracle is not told (the path told it when the bytes became visible).
     */
    public void writeBack(long offset, byte[] blocks) throws IOException {
        writeRawBlocks(offset, blocks, true, settings.appTag());
    }

    void misdirect(long from, long to) {
        misdirections.put(from, to);
    }

    void rawWrite(long offset, byte[] data, boolean regenerate, int appTag) throws IOException {
        writeRawBlocks(offset, data, regenerate, appTag);
    }

    /** Builds {@link SimulatedDevice}s; every option is checked when set, naming the bad value. */
    public static final class Builder {
        private long capacity = 64L << 20;
        private int blockSize = 4096;
        private ProtectionFormat protection = ProtectionFormat.T10_DIF_TYPE1;
        private Long seed;
        private double shortTransferProbability;
        private long dmaDelayMin;
        private long dmaDelayMax = 20_000;
        private int workers = 2;
        private CompletionOrder completionOrder = CompletionOrder.REORDERED;
        private boolean failFast;
        private boolean captureStacks;
        private int retainedViolations = 1000;
        private int appTag;
        private boolean oracle = true;
        private int maxTransfer = DeviceSettings.DEFAULT_MAX_TRANSFER;
        private IoPath ioPath;

        private Builder() {
        }

        /** Capacity in bytes, a positive multiple of the block size (default 64 MiB). */
        public Builder capacity(long bytes) {
            this.capacity = OptionChecks.positive("capacity", bytes);
            return this;
        }

        /** Logical block size and protection interval: 512 or 4096 (default 4096). */
        public Builder blockSize(int bytes) {
            this.blockSize = OptionChecks.blockSize(bytes);
            return this;
        }

        /** Protection-information format (default {@link ProtectionFormat#T10_DIF_TYPE1}); NONE disables PI. */
        public Builder protection(ProtectionFormat format) {
            this.protection = Objects.requireNonNull(format, "protection");
            return this;
        }

        /**
         * The seed of every random decision (default: the system property {@code staleguard.seed}
         * if set, in decimal or 0x-hex, else a fresh random seed shown by {@code describe()}).
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Probability in [0, 1] that a read or write transfers fewer bytes than asked (default 0). */
        public Builder shortTransferProbability(double p) {
            this.shortTransferProbability = OptionChecks.shortTransferProbability(p);
            return this;
        }

        /** Range of the seeded delay between submission and DMA (default 0 to 20 µs). */
        public Builder dmaDelay(Duration min, Duration max) {
            OptionChecks.delayRange(min, max);
            this.dmaDelayMin = min.toNanos();
            this.dmaDelayMax = max.toNanos();
            return this;
        }

        /** Device worker threads for asynchronous operations, 1..1024 (default 2). */
        public Builder workers(int n) {
            this.workers = OptionChecks.workers(n);
            return this;
        }

        /** FIFO or REORDERED asynchronous operations (default REORDERED). */
        public Builder completionOrder(CompletionOrder order) {
            this.completionOrder = Objects.requireNonNull(order, "completionOrder");
            return this;
        }

        /** Throw at the first failing violation instead of only recording it (default false). */
        public Builder failFast(boolean on) {
            this.failFast = on;
            return this;
        }

        /** Keep each operation's submitting stack trace for violation reports (default false; costs time). */
        public Builder captureStacks(boolean on) {
            this.captureStacks = on;
            return this;
        }

        /** How many violations are kept in full (default 1000; counts are always exact). */
        public Builder retainedViolations(int n) {
            this.retainedViolations = OptionChecks.retainedViolations(n);
            return this;
        }

        /** Application tag written into every PI tuple and expected back, 0..0xFFFE (default 0). */
        public Builder appTag(int tag) {
            this.appTag = OptionChecks.appTag(tag);
            return this;
        }

        /** Whether the history oracle checks reads (default true; off only for reference measurements). */
        public Builder oracle(boolean on) {
            this.oracle = on;
            return this;
        }

        /** Largest transfer of one call; longer calls are cut short, legally (default 64 MiB). */
        public Builder maxTransfer(int bytes) {
            this.maxTransfer = (int) OptionChecks.positive("max transfer", bytes);
            return this;
        }

        /**
         * Puts the simulated Linux I/O stack in front of the media, in the state {@code config}
         * describes: page cache with read-ahead and writeback for BUFFERED I/O, invalidation around
         * DIRECT writes, stable pages, mapped regions ({@link io.staleguard.device.sim.kernel.KernelIoPath#map}).
         */
        public Builder kernel(io.staleguard.device.sim.kernel.KernelConfig config) {
            return ioPath(new io.staleguard.device.sim.kernel.KernelIoPath(config));
        }

        /** {@link #kernel(io.staleguard.device.sim.kernel.KernelConfig)} with a preset. */
        public Builder kernel(io.staleguard.device.sim.kernel.KernelPreset preset) {
            return kernel(preset.config());
        }

        /**
         * Puts the simulated Linux I/O stack in DAX mode in front of the media (no page cache; mapped
         * faults per {@link io.staleguard.device.sim.kernel.KernelConfig#daxFaultLocking()}), see
         * {@link io.staleguard.device.sim.kernel.KernelIoPath#dax(io.staleguard.device.sim.kernel.KernelConfig)}.
         */
        public Builder dax(io.staleguard.device.sim.kernel.KernelConfig config) {
            return ioPath(io.staleguard.device.sim.kernel.KernelIoPath.dax(config));
        }

        /** {@link #dax(io.staleguard.device.sim.kernel.KernelConfig)} with a preset. */
        public Builder dax(io.staleguard.device.sim.kernel.KernelPreset preset) {
            return dax(preset.config());
        }

        /** A path between the front end and the media for simulated kernel behaviour (default none). */
        public Builder ioPath(IoPath path) {
            this.ioPath = path;
            return this;
        }

        /** Builds the device; inconsistent options (capacity not a block multiple) fail naming the value. */
        public SimulatedDevice build() {
            long s = seed != null ? seed : defaultSeed();
            DeviceSettings settings = new DeviceSettings("SimulatedDevice", capacity, blockSize, protection, s,
                    shortTransferProbability, dmaDelayMin, dmaDelayMax, workers, completionOrder, failFast,
                    captureStacks, retainedViolations, appTag, oracle, Math.max(blockSize, maxTransfer / blockSize
                    * blockSize));
            return new SimulatedDevice(settings, ioPath);
        }

        private static long defaultSeed() {
            String p = System.getProperty("staleguard.seed");
            if (p != null && !p.isBlank()) {
                String t = p.trim();
                try {
                    return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16)
                            : Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("system property staleguard.seed='" + p
                            + "' is not a decimal or 0x-hex long", e);
                }
            }
            return java.util.concurrent.ThreadLocalRandom.current().nextLong();
        }
    }
}
