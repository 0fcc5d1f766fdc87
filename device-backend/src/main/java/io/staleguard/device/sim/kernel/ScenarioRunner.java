package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.sim.kernel.internal.ScenarioEngine;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Runs the hazard scenarios on the deterministic scheduler: virtual time, one thread, every choice
 * drawn from the seed. The same hazard, mode, configuration, seed and operation budget give the same
 * operations and the same verdict, bit for bit.
 *
 * <pre>{@code
 * ScenarioResult r = ScenarioRunner.run(Hazard.H1, KernelPreset.DIO_NO_POST_INVALIDATE_2007.config(), 42L, 1_000_000);
 * if (r.detected()) System.out.println(r.render());
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class ScenarioRunner {

    /** The command-line entry point the reproduce lines name. */
    public static final String MAIN = "io.staleguard.device.sim.kernel.KernelMain";

    private ScenarioRunner() {
    }

    /** Runs the hazard's default workload until the first violation or {@code maxOps} operations; explains it. */
    public static ScenarioResult run(Hazard hazard, KernelConfig config, long seed, long maxOps) {
        return run(hazard, hazard.defaultMode(), config, seed, maxOps, true);
    }

    /**
     * Runs one workload variant.
     *
     * @param explain whether, on a violation, to replay the log for a timeline and shrink it (delta
     *                debugging); off for bulk runs such as the detection matrix
     * @throws IllegalArgumentException naming the bad value (a mode the hazard does not have, a
     *                                  non-positive budget)
     */
    public static ScenarioResult run(Hazard hazard, Hazard.Mode mode, KernelConfig config, long seed, long maxOps,
                                     boolean explain) {
        Objects.requireNonNull(hazard, "hazard");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(config, "config");
        if (!hazard.modes().contains(mode)) {
            throw new IllegalArgumentException("hazard " + hazard + " has no mode " + mode + " (expected one of "
                    + hazard.modes() + ")");
        }
        if (maxOps <= 0) {
            throw new IllegalArgumentException("maxOps must be > 0, was " + maxOps);
        }
        ScenarioEngine.Outcome o = ScenarioEngine.run(hazard, mode, config, seed, maxOps, explain);
        return new ScenarioResult(hazard, mode, config.name(), config, seed, o.operations(), o.virtualNanos(),
                o.wallNanos(), o.violations(), o.timeline(), o.minimalViolation(), o.minimalTimeline(), o.loggedOperations(),
                o.minimalOperations(), o.oneMinimal(), reproduceLine(hazard, mode, config, seed, maxOps), o.note());
    }

    /** The one line that reproduces a run. */
    public static String reproduceLine(Hazard hazard, Hazard.Mode mode, KernelConfig config, long seed, long maxOps) {
        return "mvn -B -q -pl device-backend exec:java -Dexec.mainClass=" + MAIN + " -Dexec.args=\"run " + hazard
                + (mode == hazard.defaultMode() ? "" : ":" + mode) + " " + config.spec() + " 0x"
                + Long.toHexString(seed) + " " + maxOps + "\"";
    }
}
