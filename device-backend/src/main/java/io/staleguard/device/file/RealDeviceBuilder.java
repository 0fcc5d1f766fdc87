package io.staleguard.device.file;

import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.internal.DeviceSettings;
import io.staleguard.device.internal.OptionChecks;
import io.staleguard.device.sim.CompletionOrder;
import java.time.Duration;
import java.util.Objects;

/**
 * The options the real backends ({@link FileDevice}, {@code LoopDevice}) share with the
 * simulated device, each checked when set and naming the bad value. Real devices take no
 * artificial DMA delay by default: the kernel supplies the timing.
 *
 * @param <B> the concrete builder
 */
public abstract class RealDeviceBuilder<B extends RealDeviceBuilder<B>> {

    ProtectionFormat protection = ProtectionFormat.T10_DIF_TYPE1;
    Long seed;
    double shortTransferProbability;
    long dmaDelayMin;
    long dmaDelayMax;
    int workers = 2;
    CompletionOrder completionOrder = CompletionOrder.REORDERED;
    boolean failFast;
    boolean captureStacks;
    int retainedViolations = 1000;
    int appTag;
    boolean oracle = true;
    int maxTransfer = DeviceSettings.DEFAULT_MAX_TRANSFER;
    boolean verifyAfterWrite = true;

    /** Subclasses only. */
    protected RealDeviceBuilder() {
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

    /** The seed of every random decision (default: system property {@code staleguard.seed}, else random). */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /** Probability in [0, 1] that a call transfers fewer bytes than asked (default 0). */
    public B shortTransferProbability(double p) {
        this.shortTransferProbability = OptionChecks.shortTransferProbability(p);
        return self();
    }

    /** An extra seeded delay between submission and the system call (default none). */
    public B dmaDelay(Duration min, Duration max) {
        OptionChecks.delayRange(min, max);
        this.dmaDelayMin = min.toNanos();
        this.dmaDelayMax = max.toNanos();
        return self();
    }

    /** Threads of the executor that runs asynchronous calls, 1..1024 (default 2). */
    public B workers(int n) {
        this.workers = OptionChecks.workers(n);
        return self();
    }

    /** FIFO or REORDERED completion of asynchronous calls (default REORDERED). */
    public B completionOrder(CompletionOrder order) {
        this.completionOrder = Objects.requireNonNull(order, "completionOrder");
        return self();
    }

    /** Throw at the first failing violation instead of only recording it (default false). */
    public B failFast(boolean on) {
        this.failFast = on;
        return self();
    }

    /** Keep each operation's submitting stack trace for reports (default false; costs time). */
    public B captureStacks(boolean on) {
        this.captureStacks = on;
        return self();
    }

    /** How many violations are kept in full (default 1000; counts are always exact). */
    public B retainedViolations(int n) {
        this.retainedViolations = OptionChecks.retainedViolations(n);
        return self();
    }

    /** Application tag written into every PI tuple, 0..0xFFFE (default 0). */
    public B appTag(int tag) {
        this.appTag = OptionChecks.appTag(tag);
        return self();
    }

    /** Whether the history oracle checks reads (default true). */
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
     * Whether every write is read back once the system call returned and verified against the
     * protection information computed at submission (default true). Off, verification of what
     * landed happens in {@code scrub()} passes only.
     */
    public B verifyAfterWrite(boolean on) {
        this.verifyAfterWrite = on;
        return self();
    }

    /** The seed to use: the one set, else the system property, else a fresh random one. */
    protected long effectiveSeed() {
        if (seed != null) {
            return seed;
        }
        String p = System.getProperty("staleguard.seed");
        if (p != null && !p.isBlank()) {
            String t = p.trim();
            try {
                return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16)
                        : Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property staleguard.seed='" + p + "' is not a number", e);
            }
        }
        return new java.security.SecureRandom().nextLong();
    }

    /** The shared settings for a device of this geometry. */
    protected DeviceSettings settings(String backend, long capacity, int blockSize) {
        return new DeviceSettings(backend, capacity, blockSize, protection, effectiveSeed(), shortTransferProbability,
                dmaDelayMin, dmaDelayMax, workers, completionOrder, failFast, captureStacks, retainedViolations, appTag,
                oracle, Math.max(blockSize, maxTransfer / blockSize * blockSize));
    }

    /** Whether read-back after each write is on. */
    protected boolean verifyAfterWriteOption() {
        return verifyAfterWrite;
    }
}
