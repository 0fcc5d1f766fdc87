package io.staleguard.device.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.CompletionOrder;
import io.staleguard.device.Seeds;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.core.internal.OptionChecks;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.apiguardian.api.API;

/**
 * The options every backend's builder shares (the simulated device, the file and loop devices),
 * each checked when set and naming the bad value. A backend's builder extends it and adds its
 * geometry and its own options; {@link #settings} then makes the validated {@link DeviceSettings}.
 *
 * @param <B> the concrete builder, returned by every setter
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class DeviceOptions<B extends DeviceOptions<B>> {

    /** The property that seeds every device whose builder was given no seed. */
    public static final String SEED_PROPERTY = "staleguard.seed";

    private ProtectionFormat protection = ProtectionFormat.T10_DIF_TYPE1;
    private Long seed;
    private double shortTransferProbability;
    private long dmaDelayMin;
    private long dmaDelayMax;
    private int workers = 2;
    private CompletionOrder completionOrder = CompletionOrder.REORDERED;
    private boolean failFast;
    private boolean captureStacks;
    private int retainedViolations = 1000;
    private int appTag;
    private boolean oracle = true;
    private int maxTransfer = DeviceSettings.DEFAULT_MAX_TRANSFER;
    private PiMismatch piMismatch = PiMismatch.REPORT;

    /**
     * @param defaultDmaDelayMaxNanos the backend's default largest DMA delay (the simulated device
     *                                models one; real devices leave the timing to the kernel)
     */
    protected DeviceOptions(long defaultDmaDelayMaxNanos) {
        this.dmaDelayMax = defaultDmaDelayMaxNanos;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Protection-information format (default {@link ProtectionFormat#T10_DIF_TYPE1}); NONE disables PI. */
    public B protection(ProtectionFormat format) {
        this.protection = Objects.requireNonNull(format, "protection");
        return self();
    }

    /**
     * The seed of every random decision (default: the system property {@code staleguard.seed}
     * if set, in decimal or 0x-hex, else a fresh random seed shown by {@code describe()}).
     */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /** Probability in [0, 1] that a read or write transfers fewer bytes than asked (default 0). */
    public B shortTransferProbability(double p) {
        this.shortTransferProbability = OptionChecks.shortTransferProbability(p);
        return self();
    }

    /**
     * Range of the seeded delay between submission and the transfer ("DMA"): default 0 to 20 µs on
     * the simulated device, none on real devices.
     */
    public B dmaDelay(Duration min, Duration max) {
        OptionChecks.delayRange(min, max);
        this.dmaDelayMin = min.toNanos();
        this.dmaDelayMax = max.toNanos();
        return self();
    }

    /**
     * How many of this device's asynchronous operations may be transferring at once, 1..1024 (default 2), as
     * with that many worker threads of its own. The transfers run on daemon DMA threads shared by every device of
     * the JVM, so a device starts no thread of its own.
     */
    public B workers(int n) {
        this.workers = OptionChecks.workers(n);
        return self();
    }

    /** FIFO or REORDERED asynchronous operations (default REORDERED). */
    public B completionOrder(CompletionOrder order) {
        this.completionOrder = Objects.requireNonNull(order, "completionOrder");
        return self();
    }

    /** Throw at the first failing violation instead of only recording it (default false). */
    public B failFast(boolean on) {
        this.failFast = on;
        return self();
    }

    /** Keep each operation's submitting stack trace for violation reports (default false; costs time). */
    public B captureStacks(boolean on) {
        this.captureStacks = on;
        return self();
    }

    /** How many violations are kept in full (default 1000; counts are always exact). */
    public B retainedViolations(int n) {
        this.retainedViolations = OptionChecks.retainedViolations(n);
        return self();
    }

    /** Application tag written into every PI tuple and expected back, 0..0xFFFE (default 0). */
    public B appTag(int tag) {
        this.appTag = OptionChecks.appTag(tag);
        return self();
    }

    /** Whether the history oracle checks reads (default true; off only for reference measurements). */
    public B oracle(boolean on) {
        this.oracle = on;
        return self();
    }

    /** Largest transfer of one call; longer calls are cut short, legally (default 64 MiB). */
    public B maxTransfer(int bytes) {
        this.maxTransfer = (int) OptionChecks.positive("max transfer", bytes);
        return self();
    }

    /**
     * What a read does when protection information does not match its data: {@link PiMismatch#REPORT}
     * (default: record the violation, return the bytes) or {@link PiMismatch#FAIL_READ} (record it and fail
     * the read with {@code IOException("Input/output error")}, as a DIX-capable host adapter does).
     */
    public B piMismatch(PiMismatch mode) {
        this.piMismatch = Objects.requireNonNull(mode, "piMismatch");
        return self();
    }

    /**
     * The validated settings of a device of this geometry, with the seed resolved: the one set,
     * else {@code staleguard.seed}, else a fresh random one.
     *
     * @throws IllegalArgumentException naming an inconsistent value (capacity not a block multiple)
     */
    protected final DeviceSettings settings(String backend, long capacity, int blockSize) {
        return new DeviceSettings(backend, capacity, blockSize, protection, effectiveSeed(), shortTransferProbability,
                dmaDelayMin, dmaDelayMax, workers, completionOrder, failFast, captureStacks, retainedViolations, appTag,
                oracle, Math.max(blockSize, maxTransfer / blockSize * blockSize), piMismatch);
    }

    private long effectiveSeed() {
        if (seed != null) {
            return seed;
        }
        String p = System.getProperty(SEED_PROPERTY);
        if (p != null && !p.isBlank()) {
            try {
                return Seeds.parse(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property " + SEED_PROPERTY + "='" + p
                        + "' is not a decimal or 0x-hex long", e);
            }
        }
        return ThreadLocalRandom.current().nextLong();
    }
}
