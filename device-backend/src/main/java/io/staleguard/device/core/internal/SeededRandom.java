package io.staleguard.device.core.internal;

import io.staleguard.device.Seeds;

/**
 * Stateless seeded randomness: every decision about operation {@code n} is a pure function of the
 * device seed, {@code n} and the kind of decision, so a single-threaded program sees exactly the
 * same decisions on every run with the same seed, and threads never contend on a shared generator.
 */
public final class SeededRandom {

    /** Salt of the DMA-delay decision. */
    public static final int DELAY = 1;
    /** Salt of the "is this transfer short" decision. */
    public static final int SHORT = 2;
    /** Salt of the short-transfer length decision. */
    public static final int SHORT_LENGTH = 3;
    /** Salt of the simulated kernel's "is this read's user buffer only partly faulted in" decision. */
    public static final int UNFAULTED_BUFFER = 4;
    /** Salt of the simulated kernel's DAX fault window (the delay between block lookup and entry install). */
    public static final int DAX_FAULT_WINDOW = 5;

    private SeededRandom() {
    }

    /** 64 random bits for decision {@code salt} of operation {@code sequence}. */
    public static long bits(long seed, long sequence, int salt) {
        return Seeds.mix(seed ^ Seeds.mix(sequence * 0x9E3779B97F4A7C15L + salt));
    }

    /** A uniform double in [0, 1). */
    public static double unit(long seed, long sequence, int salt) {
        return (bits(seed, sequence, salt) >>> 11) * 0x1.0p-53;
    }

    /** A uniform long in [0, bound) for bound &gt; 0. */
    public static long below(long seed, long sequence, int salt, long bound) {
        return Math.floorMod(bits(seed, sequence, salt), bound);
    }
}
