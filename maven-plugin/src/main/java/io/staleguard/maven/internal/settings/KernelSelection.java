package io.staleguard.maven.internal.settings;

import io.staleguard.device.sim.kernel.Hazard;
import io.staleguard.device.sim.kernel.KernelPreset;

/**
 * Checks {@code staleguard.kernel} and {@code staleguard.replay} in Maven before a JVM is forked,
 * so a typo fails the build at once with one line naming the value.
 */
public final class KernelSelection {

    private KernelSelection() {
    }

    /**
     * Checks a preset list ({@code MODERN}, {@code A,B}, {@code ALL}, {@code NONE}, {@code AUTO}).
     *
     * @throws IllegalArgumentException naming the property and the bad value
     */
    public static void check(String property, String spec) {
        String s = spec.trim();
        if (s.equalsIgnoreCase("ALL") || s.equalsIgnoreCase("NONE") || s.equalsIgnoreCase("AUTO")) {
            return;
        }
        boolean any = false;
        for (String part : s.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            any = true;
            try {
                KernelPreset.named(part.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(property + "='" + spec + "': " + e.getMessage());
            }
        }
        if (!any) {
            throw new IllegalArgumentException(property + "='" + spec + "' names no preset (use MODERN, a comma list, "
                    + "ALL, NONE or AUTO)");
        }
    }

    /** Checks {@code HAZARD:SEED}. */
    public static void checkReplay(String property, String replay) {
        String[] parts = replay.split(":", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException(property + "='" + replay + "' is not a replay (use HAZARD:SEED, e.g. "
                    + "H2:0x00000000deadbeef, as reproduce lines print it)");
        }
        try {
            Hazard.named(parts[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + "='" + replay + "': " + e.getMessage());
        }
        SeedText.parse(property, parts[1]);
    }
}
