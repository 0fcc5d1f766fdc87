package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.CompletionOrder;
import io.staleguard.device.core.DeviceOptions;
import io.staleguard.device.core.DeviceSettings;
import io.staleguard.device.core.ForwardingDevice;
import io.staleguard.device.core.internal.FrontEnd;
import io.staleguard.device.core.internal.OperationFactory;
import io.staleguard.device.core.internal.TransferRoute;
import io.staleguard.device.core.internal.OptionChecks;
import io.staleguard.device.sim.internal.ChunkedMedia;
import io.staleguard.device.sim.internal.IoPathRoute;
import io.staleguard.device.sim.internal.SimulatedOperation;
import io.staleguard.device.sim.internal.SimulatedPort;
import io.staleguard.device.oracle.InitialContent;
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
 * {@link Builder#ioPath(IoPath)} puts a path (a simulated page cache, {@code KernelIoPath.of(preset)})
 * between the front end and the media; it reaches the device through a {@link MediaPort}. {@link #tamper()} corrupts the media under the device, for tests of the detectors.
 */
@API(status = STABLE, since = "0.1")
public final class SimulatedDevice extends ForwardingDevice {

    private final FrontEnd core;
    private final ChunkedMedia media;
    private final IoPath ioPath;
    private final MediaTamper tamper;

    private SimulatedDevice(FrontEnd core, ChunkedMedia media, IoPath ioPath) {
        super(core);
        this.core = core;
        this.media = media;
        this.ioPath = ioPath;
        this.tamper = new MediaTamper(this);
    }

    private static SimulatedDevice create(DeviceSettings settings, IoPath ioPath) {
        ChunkedMedia media = new ChunkedMedia(settings.capacity());
        if (ioPath == null) {
            return new SimulatedDevice(new FrontEnd(settings, InitialContent.zeros(), media, TransferRoute.STRAIGHT,
                    OperationFactory.PLAIN), media, null);
        }
        SimulatedPort port = new SimulatedPort();
        FrontEnd core = new FrontEnd(settings, InitialContent.zeros(), media, new IoPathRoute(ioPath, port),
                SimulatedOperation::new);
        port.bind(core);
        ioPath.attach(port);
        return new SimulatedDevice(core, media, ioPath);
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
        DeviceSettings s = core.settings();
        return "SimulatedDevice.builder().capacity(" + s.capacity() + "L).blockSize(" + s.blockSize()
                + ").protection(ProtectionFormat." + s.protection().name() + ").seed(0x" + Long.toHexString(s.seed())
                + "L).shortTransferProbability(" + s.shortTransferProbability() + ").dmaDelay(Duration.ofNanos("
                + s.dmaDelayMinNanos() + "), Duration.ofNanos(" + s.dmaDelayMaxNanos() + ")).workers(" + s.workers()
                + ").completionOrder(CompletionOrder." + s.completionOrder() + ").build()";
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

        /** Builds the device; inconsistent options (capacity not a block multiple) fail naming the value. */
        public SimulatedDevice build() {
            return create(settings("SimulatedDevice", capacity, blockSize), ioPath);
        }
    }
}
