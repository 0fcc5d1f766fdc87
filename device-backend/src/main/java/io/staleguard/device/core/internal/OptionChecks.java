package io.staleguard.device.core.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The option checks every device builder shares ({@code SimulatedDevice}, {@code FileDevice}, {@code LoopDevice})
 * and {@link DeviceSettings} repeats, so that a bad value gets the same message naming it whichever backend is
 * built. Each returns the value it accepted.
 */
public final class OptionChecks {

    private OptionChecks() {
    }

    /** A positive size; {@code what} names the option ("capacity", "size", "max transfer"). */
    public static long positive(String what, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException(what + " " + bytes + " is not positive");
        }
        return bytes;
    }

    /** A logical block size: 512 or 4096. */
    public static int blockSize(int bytes) {
        if (bytes != 512 && bytes != 4096) {
            throw new IllegalArgumentException("block size " + bytes + " is not 512 or 4096");
        }
        return bytes;
    }

    /** A short-transfer probability in [0, 1] (NaN is refused). */
    public static double shortTransferProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("short-transfer probability " + p + " is not in [0, 1]");
        }
        return p;
    }

    /** A range {@code [min, max]} of non-negative delays. */
    public static void delayRange(Duration min, Duration max) {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("DMA delay range [" + min + ", " + max + "] is not a range of "
                    + "non-negative durations");
        }
    }

    /** A worker thread count, 1..1024. */
    public static int workers(int n) {
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("workers " + n + " is not in 1..1024");
        }
        return n;
    }

    /** How many violations are kept in full: not negative. */
    public static int retainedViolations(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("retained violations " + n + " is negative");
        }
        return n;
    }

    /** An application tag, 0..0xFFFE (0xFFFF is the escape that disables checking). */
    public static int appTag(int tag) {
        if (tag < 0 || tag >= 0xFFFF) {
            throw new IllegalArgumentException("application tag 0x" + Integer.toHexString(tag) + " is not in 0..0xFFFE");
        }
        return tag;
    }
}
