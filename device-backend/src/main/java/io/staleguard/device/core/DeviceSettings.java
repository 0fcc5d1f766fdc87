package io.staleguard.device.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.CompletionOrder;
import io.staleguard.device.core.internal.OptionChecks;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The options every verifying device shares, validated on construction (each error names the bad
 * value). A backend's builder makes one with {@link DeviceOptions#settings}, adding the backend's
 * name and its geometry.
 *
 * @param backend                  the backend's name for reports ("SimulatedDevice", "FileDevice")
 * @param capacity                 bytes, a positive multiple of {@code blockSize}
 * @param blockSize                logical block size and protection interval: 512 or 4096
 * @param protection               protection-information format; {@link ProtectionFormat#NONE} disables PI
 * @param seed                     drives every random decision
 * @param shortTransferProbability probability in [0, 1] that a transfer is cut short
 * @param dmaDelayMinNanos         the smallest seeded delay between submission and transfer
 * @param dmaDelayMaxNanos         the largest seeded delay
 * @param workers                  asynchronous operations of the device transferring at once (&gt;= 1)
 * @param completionOrder          FIFO or REORDERED asynchronous operations
 * @param failFast                 throw at the first failing violation
 * @param captureStacks            keep the submitting stack trace of each operation for reports
 * @param retainedViolations       violations kept in full (counts are exact regardless)
 * @param appTag                   application tag written into every tuple (0..0xFFFE)
 * @param oracleEnabled            whether the history oracle watches reads (off only for reference measurements)
 * @param maxTransfer              the largest transfer of one call; longer calls are cut short (a legal short transfer)
 * @param piMismatch               what a read does on a protection-information mismatch: report only, or fail with EIO
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record DeviceSettings(String backend, long capacity, int blockSize, ProtectionFormat protection, long seed,
                             double shortTransferProbability, long dmaDelayMinNanos, long dmaDelayMaxNanos, int workers,
                             CompletionOrder completionOrder, boolean failFast, boolean captureStacks,
                             int retainedViolations, int appTag, boolean oracleEnabled, int maxTransfer,
                             PiMismatch piMismatch) {

    /** Default largest transfer of one call: 64 MiB. */
    public static final int DEFAULT_MAX_TRANSFER = 64 << 20;

    /** Checks every option; each error names the bad value. */
    public DeviceSettings {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(protection, "protection");
        Objects.requireNonNull(completionOrder, "completionOrder");
        Objects.requireNonNull(piMismatch, "piMismatch");
        OptionChecks.blockSize(blockSize);
        if (capacity <= 0 || capacity % blockSize != 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a positive multiple of the block size "
                    + blockSize);
        }
        OptionChecks.shortTransferProbability(shortTransferProbability);
        if (dmaDelayMinNanos < 0 || dmaDelayMaxNanos < dmaDelayMinNanos) {
            throw new IllegalArgumentException("DMA delay range [" + dmaDelayMinNanos + " ns, " + dmaDelayMaxNanos
                    + " ns] is not a range of non-negative durations");
        }
        OptionChecks.workers(workers);
        OptionChecks.retainedViolations(retainedViolations);
        if (appTag < 0 || appTag >= 0xFFFF) {
            throw new IllegalArgumentException("application tag 0x" + Integer.toHexString(appTag)
                    + " is not in 0..0xFFFE (0xFFFF is the escape that disables checking)");
        }
        if (maxTransfer < blockSize || maxTransfer % blockSize != 0) {
            throw new IllegalArgumentException("max transfer " + maxTransfer + " is not a positive multiple of the block size "
                    + blockSize);
        }
    }

    /** Settings that report PI mismatches only ({@link PiMismatch#REPORT}): the options of release 0.1. */
    public DeviceSettings(String backend, long capacity, int blockSize, ProtectionFormat protection, long seed,
                          double shortTransferProbability, long dmaDelayMinNanos, long dmaDelayMaxNanos, int workers,
                          CompletionOrder completionOrder, boolean failFast, boolean captureStacks,
                          int retainedViolations, int appTag, boolean oracleEnabled, int maxTransfer) {
        this(backend, capacity, blockSize, protection, seed, shortTransferProbability, dmaDelayMinNanos,
                dmaDelayMaxNanos, workers, completionOrder, failFast, captureStacks, retainedViolations, appTag,
                oracleEnabled, maxTransfer, PiMismatch.REPORT);
    }

    /** Settings with the defaults: T10 DIF Type 1, seed 0, no short transfers, no delay, 1 worker, REORDERED, PI mismatches reported only. */
    public static DeviceSettings defaults(String backend, long capacity, int blockSize) {
        return new DeviceSettings(backend, capacity, blockSize, ProtectionFormat.T10_DIF_TYPE1, 0, 0, 0, 0, 1,
                CompletionOrder.REORDERED, false, false, 1000, 0, true, DEFAULT_MAX_TRANSFER, PiMismatch.REPORT);
    }
}
