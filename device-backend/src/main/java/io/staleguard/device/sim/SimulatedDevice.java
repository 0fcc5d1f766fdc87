package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.CompletionOrder;
import io.staleguard.device.core.DeviceOptions;
import io.staleguard.device.core.DeviceSettings;
import io.staleguard.device.core.PiMismatch;
import io.staleguard.device.core.ForwardingDevice;
import io.staleguard.device.core.internal.FrontEnd;
import io.staleguard.device.core.internal.OperationFactory;
import io.staleguard.device.core.internal.TransferRoute;
import io.staleguard.device.core.internal.OptionChecks;
import io.staleguard.device.sim.internal.ChunkedMedia;
import io.staleguard.device.sim.internal.DeviceFaults;
import io.staleguard.device.sim.internal.IoPathRoute;
import io.staleguard.device.sim.internal.SimulatedOperation;
import io.staleguard.device.sim.internal.SimulatedPort;
import io.staleguard.device.oracle.InitialContent;
import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.integrity.ProtectionInformation;
import java.io.IOException;
import org.apiguardian.api.API;

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
 * asynchronous calls on a DMA worker thread (shared by every device of the JVM, at most
 * {@code workers} of this device's at once), for synchronous calls on the calling
 * thread (which is blocked in the call anyway, as in a real {@code pwrite}). Asynchronous
 * operations land and complete in {@link CompletionOrder#FIFO} or {@link CompletionOrder#REORDERED}
 * order. Completion callbacks of asynchronous operations run on DMA worker threads.
 *
 * <h2>Hooks</h2>
 * {@code device.hooks().pause(OpMatcher.writes().overlapping(off, len).atStage(Stage.DMA))}
 * holds the first matching operation until the returned gate is released.
 *
 * <h2>Faults</h2>
 * {@link #faults()} injects the errors real devices and Linux return: fsync, read and write errors, partial
 * progress then an error, ENOSPC, lost and misdirected writes, bit flips, at a chosen place or by seeded rates
 * ({@link Builder#faults(String)}, decided from the seed like short transfers). Each is an {@code IO_FAULT} event
 * of the operation log. {@link Builder#piMismatch} makes a PI mismatch on read fail the read with EIO.
 *
 * <h2>Extension</h2>
 * {@link Builder#ioPath(IoPath)} puts a path (a simulated page cache, {@code KernelIoPath.of(preset)})
 * between the front end and the media; it reaches the device through a {@link MediaPort}. {@link #tamper()} corrupts the media under the device, for tests of the detectors.
 */
@API(status = STABLE, since = "0.1")
public final class SimulatedDevice extends ForwardingDevice {

    /** How long a power cycle waits for asynchronous operations in flight. */
    private static final long QUIESCE_MILLIS = 10_000;

    private final FrontEnd core;
    private final ChunkedMedia media;
    private final IoPath ioPath;
    private final MediaPort port;
    private final MediaTamper tamper;
    private final DeviceFaults deviceFaults;
    private final FaultInjector faults;
    /** Whether this device paused its faults for a crash state ({@link #powerCycle(MediaSnapshot, BlockOverlay)}). */
    private boolean faultsPausedForCrashState;

    private SimulatedDevice(FrontEnd core, ChunkedMedia media, IoPath ioPath, MediaPort port, DeviceFaults faults) {
        super(core);
        this.core = core;
        this.media = media;
        this.ioPath = ioPath;
        this.port = port;
        this.tamper = new MediaTamper(this);
        this.deviceFaults = faults;
        this.faults = new FaultInjector(faults, core.logicalBlockSize(), core.capacity());
        faults.bind(core);
    }

    private static SimulatedDevice create(DeviceSettings settings, IoPath ioPath, FaultSpec spec) {
        ChunkedMedia media = new ChunkedMedia(settings.capacity());
        DeviceFaults faults = new DeviceFaults(settings.seed(), settings.blockSize(), settings.capacity(), media, spec);
        if (ioPath == null) {
            return new SimulatedDevice(new FrontEnd(settings, InitialContent.zeros(), media, TransferRoute.STRAIGHT,
                    OperationFactory.PLAIN, faults.point()), media, null, null, faults);
        }
        SimulatedPort port = new SimulatedPort();
        FrontEnd core = new FrontEnd(settings, InitialContent.zeros(), media, new IoPathRoute(ioPath, port),
                SimulatedOperation::new, faults.point());
        port.bind(core);
        ioPath.attach(port);
        return new SimulatedDevice(core, media, ioPath, port, faults);
    }

    /** A builder with the defaults documented on each option. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The device's fault injector: EIO on fsync, reads and writes, partial progress then EIO, ENOSPC, lost
     * and misdirected writes, bit flips, at a chosen place or by seeded rates ({@link Builder#faults(String)}).
     */
    public FaultInjector faults() {
        return faults;
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

    // ------------------------------------------------------------------ crash states

    /**
     * Freezes the media and its protection information as they are now, in O(chunks) and without
     * copying data: later writes copy what they touch. The image holds what reached the media; a
     * page cache's dirty pages are not in it (call {@link #flush()} first for a clean shutdown).
     * Waits for asynchronous operations in flight first.
     *
     * @throws IllegalStateException if the device is closed, in a crash state made by
     *                               {@link #powerCycle(MediaSnapshot, BlockOverlay)}, or operations stay in flight
     */
    public MediaSnapshot freezeMedia() {
        checkOpenForCycle("freeze its media");
        core.quiesce(QUIESCE_MILLIS);
        ChunkedMedia.Frozen[] image = new ChunkedMedia.Frozen[1];
        PiStore[] pi = new PiStore[1];
        core.underAllLocks(() -> {
            image[0] = media.freeze();
            PiStore live = core.piStore();
            pi[0] = live == null ? null : live.frozenCopy();
        });
        return new MediaSnapshot(this, image[0], pi[0]);
    }

    /**
     * Loses power and comes back with {@code image} as the media: the I/O path forgets its cache
     * without writeback ({@link IoPath#powerLost}), the media and PI become the image's, the
     * history oracle restarts on the media as it is now (so reading old bytes is no stale read) and
     * pending short transfers are forgotten. Violations recorded so far are kept. The image stays
     * reusable. Waits for asynchronous operations in flight first.
     *
     * @throws IllegalArgumentException if {@code image} was frozen from another device
     * @throws IllegalStateException    if the device is closed or operations stay in flight
     */
    public void powerCycle(MediaSnapshot image) {
        checkSnapshot(image);
        cycle(() -> {
            media.restore(image.media());
            resetPi(image);
        });
        faultsInCrashState(false);
    }

    /**
     * Loses power (as {@link #powerCycle(MediaSnapshot)}) and comes back in a crash state: every
     * block reads from {@code state} (and the overlays below it) where it holds the block, else
     * from {@code base}. Writes after it (a recovery's) go to a scratch layer that the next power
     * cycle discards; {@code base} and {@code state} are never written. Blocks of the overlay get
     * protection information generated from their bytes. The cost is the overlay's blocks, never a
     * copy of the device.
     *
     * @throws IllegalArgumentException if {@code base} was frozen from another device or the
     *                                  overlay's block size or blocks do not fit this device
     * @throws IllegalStateException    if the device is closed or operations stay in flight
     */
    public void powerCycle(MediaSnapshot base, BlockOverlay state) {
        checkSnapshot(base);
        java.util.Objects.requireNonNull(state, "state");
        int bs = core.logicalBlockSize();
        if (state.blockSize() != bs) {
            throw new IllegalArgumentException("the overlay has blocks of " + state.blockSize() + " B, but "
                    + describe() + " has blocks of " + bs + " B");
        }
        long blocks = core.capacity() / bs;
        java.util.List<BlockOverlay> chain = new java.util.ArrayList<>();
        for (BlockOverlay o = state; o != null; o = o.below()) {
            chain.add(0, o);
            long[] own = o.blocks();
            if (own.length > 0 && own[own.length - 1] >= blocks) {
                throw new IllegalArgumentException("overlay block " + own[own.length - 1] + " is beyond the "
                        + blocks + " blocks of " + describe());
            }
        }
        faultsInCrashState(true);
        cycle(() -> {
            media.overlay(base.media(), state::peek, bs);
            resetPi(base);
            PiStore pi = core.piStore();
            if (pi != null) {
                // Bottom up, so a block an upper overlay replaces gets the upper one's tuple.
                for (BlockOverlay o : chain) {
                    for (long b : o.blocks()) {
                        byte[] t = new byte[pi.tupleSize()];
                        ProtectionInformation.generate(core.protection(), java.nio.ByteBuffer.wrap(o.peek(b)), bs, b, 0,
                                core.settings().appTag(), t, 0);
                        pi.put(b, t, 0, 1);
                    }
                }
            }
        });
    }

    /**
     * Suspends (true) or restores (false) the seeded DMA delays of later operations: a crash
     * state's recovery runs at full speed, while the recorded workload keeps its delays (buffer
     * reuse races are the workload's business). Short transfers and every detector stay on.
     */
    public void suspendDelays(boolean suspended) {
        core.suspendDelays(suspended);
    }

    /** Blocks written since the last {@link #powerCycle(MediaSnapshot, BlockOverlay)} (0 in no crash state). */
    public int crashStateWrites() {
        return media.scratchBlocks();
    }

    private void cycle(Runnable switchMedia) {
        checkOpenForCycle("power-cycle");
        core.quiesce(QUIESCE_MILLIS);
        if (ioPath != null) {
            ioPath.powerLost(port);
        }
        core.powerCycle(switchMedia, InitialContent.fromMedia(core::readRaw));
    }

    /** Faults pause in a crash state, so that recovery runs on honest media, and resume once the media is restored. */
    private synchronized void faultsInCrashState(boolean entering) {
        if (entering && !faultsPausedForCrashState) {
            deviceFaults.pause();
            faultsPausedForCrashState = true;
        } else if (!entering && faultsPausedForCrashState) {
            deviceFaults.resume();
            faultsPausedForCrashState = false;
        }
    }

    private void resetPi(MediaSnapshot image) {
        PiStore live = core.piStore();
        if (live != null) {
            live.resetTo(image.pi());
        }
    }

    private void checkSnapshot(MediaSnapshot image) {
        java.util.Objects.requireNonNull(image, "image");
        if (image.device() != this) {
            throw new IllegalArgumentException("the media snapshot was frozen from " + image.device().describe()
                    + ", not from " + describe());
        }
    }

    private void checkOpenForCycle(String what) {
        if (core.isClosed()) {
            throw new IllegalStateException("cannot " + what + ": " + describe() + " is closed");
        }
    }

    /** A Java expression that builds this device again with the same seed and options. */
    public String reproduce() {
        DeviceSettings s = core.settings();
        return "SimulatedDevice.builder().capacity(" + s.capacity() + "L).blockSize(" + s.blockSize()
                + ").protection(ProtectionFormat." + s.protection().name() + ").seed(0x" + Long.toHexString(s.seed())
                + "L).shortTransferProbability(" + s.shortTransferProbability() + ").dmaDelay(Duration.ofNanos("
                + s.dmaDelayMinNanos() + "), Duration.ofNanos(" + s.dmaDelayMaxNanos() + ")).workers(" + s.workers()
                + ").completionOrder(CompletionOrder." + s.completionOrder() + ")"
                + (s.piMismatch() == PiMismatch.REPORT ? "" : ".piMismatch(PiMismatch." + s.piMismatch() + ")")
                + (faults.rates().isNone() ? "" : ".faults(\"" + faults.rates() + "\")") + ".build()";
    }

    void misdirect(long from, long to) {
        media.misdirect(from, to);
    }

    void rawWrite(long offset, byte[] data, boolean regenerate, int appTag) throws IOException {
        core.writeRawBlocks(offset, data, regenerate, appTag);
    }

    /**
     * Builds {@link SimulatedDevice}s; every option is checked when set, naming the bad value. The
     * options every backend shares are {@link DeviceOptions}'.
     */
    public static final class Builder extends DeviceOptions<Builder> {
        private long capacity = 64L << 20;
        private int blockSize = 4096;
        private IoPath ioPath;
        private FaultSpec faults = FaultSpec.NONE;

        private Builder() {
            super(20_000);
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

        /**
         * A path between the front end and the media for simulated kernel behaviour (default none),
         * such as the simulated Linux I/O stack: {@code ioPath(KernelIoPath.of(KernelPreset.MODERN))}
         * for the page cache, {@code ioPath(KernelIoPath.dax(config))} for DAX. One path serves one
         * device.
         */
        public Builder ioPath(IoPath path) {
            this.ioPath = path;
            return this;
        }

        /**
         * Seeded fault rates in the {@link FaultSpec} syntax ({@code "lost-write=0.001,fsync-error@1"}; default
         * {@code "none"}), decided from the device's seed; {@link #faults()} arms faults at chosen places.
         *
         * @throws IllegalArgumentException naming the bad token of {@code spec}
         */
        public Builder faults(String spec) {
            this.faults = FaultSpec.parse(spec);
            return this;
        }

        /** As {@link #faults(String)}, for a parsed spec. */
        public Builder faults(FaultSpec spec) {
            this.faults = java.util.Objects.requireNonNull(spec, "faults");
            return this;
        }

        /** Builds the device; inconsistent options (capacity not a block multiple) fail naming the value. */
        public SimulatedDevice build() {
            return create(settings("SimulatedDevice", capacity, blockSize), ioPath, faults);
        }
    }
}
