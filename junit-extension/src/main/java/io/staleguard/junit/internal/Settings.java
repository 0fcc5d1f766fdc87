package io.staleguard.junit.internal;

import io.staleguard.device.sim.FaultSpec;
import io.staleguard.device.Seeds;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.Backend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The run-wide settings, read from JUnit configuration parameters (which fall back to system properties and
 * {@code junit-platform.properties}). Every bad value is refused with its name and value.
 *
 * @param seed           the master seed, or empty when none was given (a random one is drawn once per run)
 * @param backend        a backend override for every device, or empty
 * @param kernel         a preset override for every simulated device, or empty
 * @param skipUnavailable whether an unavailable backend aborts (skips) the test instead of failing it
 * @param failOn         an override of the failing kinds, or empty
 * @param reportDir      where per-test reports go
 * @param crash          the crash-exploration overrides
 * @param faults         a fault-spec override for every simulated device ({@code none}: faults off), or empty
 * @param explicit       the settings given, for the reproduce line (name to value, in a stable order)
 */
public record Settings(Optional<Long> seed, Optional<Backend> backend, Optional<String> kernel,
                       boolean skipUnavailable, Optional<Set<ViolationKind>> failOn, Path reportDir,
                       CrashProperties crash, Optional<FaultSpec> faults, Map<String, String> explicit) {

    /** Master seed: {@code 0x…} hex or a decimal number. */
    public static final String SEED = "staleguard.seed";
    /** Backend override: SIMULATED, FILE or LOOP. */
    public static final String BACKEND = "staleguard.backend";
    /** Simulated-stack preset override. */
    public static final String KERNEL = "staleguard.kernel";
    /** {@code fail} (default) or {@code skip}: what an unavailable backend does to a test. */
    public static final String UNAVAILABLE = "staleguard.unavailable";
    /** Comma-separated failing kinds (names or words), or {@code none}. */
    public static final String FAIL_ON = "staleguard.failOn";
    /** Directory of per-test reports; default {@code target/staleguard/tests}. */
    public static final String REPORT_DIR = "staleguard.reportDir";

    /** Seeded storage faults of every simulated device, in the fault-spec syntax; replaces {@code @Device(faults)}. */
    public static final String FAULTS = "staleguard.faults";

    /** Crash states to explore per {@code Crash.explore}; overrides {@code @CrashOptions(states)}. */
    public static final String CRASH_STATES = "staleguard.crashStates";
    /** The one crash state to replay, as a reproduce line gives it. */
    public static final String CRASH_STATE = "staleguard.crashState";
    /** Crash model override: POSIX, EXT4_ORDERED or NO_ORDERING. */
    public static final String CRASH_MODEL = "staleguard.crashModel";

    /** The default report directory, relative to the working directory (the module's basedir under Maven). */
    public static final String DEFAULT_REPORT_DIR = "target/staleguard/tests";

    /** Reads the settings through {@code lookup} (a configuration-parameter lookup). */
    public static Settings read(Function<String, Optional<String>> lookup) {
        Map<String, String> explicit = new LinkedHashMap<>();
        Optional<String> seedText = value(lookup, SEED);
        Optional<Long> seed = seedText.map(Settings::parseSeed);
        Optional<Backend> backend = value(lookup, BACKEND).map(v -> {
            explicit.put(BACKEND, v);
            return parseBackend(v);
        });
        Optional<String> kernel = value(lookup, KERNEL).map(v -> {
            explicit.put(KERNEL, v);
            return v;
        });
        boolean skip = value(lookup, UNAVAILABLE).map(v -> {
            String t = v.toLowerCase(Locale.ROOT);
            if (!t.equals("skip") && !t.equals("fail")) {
                throw new ExtensionConfigurationException(UNAVAILABLE + "='" + v + "' is not valid: use 'fail' "
                        + "(the default) or 'skip'");
            }
            if (t.equals("skip")) {
                explicit.put(UNAVAILABLE, "skip");
            }
            return t.equals("skip");
        }).orElse(false);
        Optional<Set<ViolationKind>> failOn = value(lookup, FAIL_ON).map(v -> {
            explicit.put(FAIL_ON, v);
            return parseKinds(v);
        });
        Path reportDir = value(lookup, REPORT_DIR).map(Path::of).orElse(Path.of(DEFAULT_REPORT_DIR));
        CrashProperties crash = CrashProperties.read(k -> value(lookup, k), explicit);
        Optional<FaultSpec> faults = value(lookup, FAULTS).map(v -> {
            FaultSpec spec;
            try {
                spec = FaultSpec.parse(v);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException(FAULTS + "='" + v + "': " + e.getMessage());
            }
            // The reproduce line carries the canonical text, which replays the same faults.
            explicit.put(FAULTS, spec.toString());
            return spec;
        });
        return new Settings(seed, backend, kernel, skip, failOn, reportDir, crash, faults,
                java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(explicit)));
    }

    private static Optional<String> value(Function<String, Optional<String>> lookup, String key) {
        return lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Parses a seed: {@code 0x} hex (up to 16 digits, any sign bit) or a decimal long. */
    public static long parseSeed(String text) {
        try {
            return Seeds.parse(text);
        } catch (NumberFormatException e) {
            throw new ExtensionConfigurationException(SEED + "='" + text + "' is not a seed: use 0x followed by up "
                    + "to 16 hex digits (as printed in reproduce lines) or a decimal number");
        }
    }

    /** Renders a seed as the reproduce line prints it. */
    public static String hex(long seed) {
        return Seeds.hex(seed);
    }

    static Backend parseBackend(String text) {
        for (Backend b : Backend.values()) {
            if (b.name().equalsIgnoreCase(text.trim())) {
                return b;
            }
        }
        throw new ExtensionConfigurationException(BACKEND + "='" + text + "' is not a backend: use one of "
                + List.of(Backend.values()));
    }

    static Set<ViolationKind> parseKinds(String text) {
        Set<ViolationKind> kinds = EnumSet.noneOf(ViolationKind.class);
        if (text.trim().equalsIgnoreCase("none")) {
            return kinds;
        }
        List<String> bad = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                kinds.add(ViolationKind.parse(part));
            } catch (IllegalArgumentException e) {
                bad.add(part.trim());
            }
        }
        if (!bad.isEmpty()) {
            throw new ExtensionConfigurationException(FAIL_ON + "='" + text + "': unknown kind(s) " + bad
                    + "; use names or words of " + List.of(ViolationKind.values()) + ", or 'none'");
        }
        return kinds;
    }
}
