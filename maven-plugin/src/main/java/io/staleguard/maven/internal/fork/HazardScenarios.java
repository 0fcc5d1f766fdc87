package io.staleguard.maven.internal.fork;

import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.util.List;
import java.util.Map;

/**
 * The built-in hazard scenarios on the deterministic simulated stack, as the soak uses them.
 */
interface HazardScenarios {

    /**
     * The preset names {@code spec} selects ({@code MODERN}, a comma list, {@code ALL}).
     *
     * @throws IllegalArgumentException naming an unknown preset
     */
    List<String> presets(String spec);

    /** The hazards, H1..H5. */
    List<String> hazards();

    /** The hazard a preset reproduces, or empty for presets that fix every hazard. */
    String hazardOf(String preset);

    /**
     * Runs one scenario with one seed, until its first violation or the operation budget.
     *
     * @param explain whether to record the interleaving and shrink it on a violation (costly; the
     *                soak asks only for the violations it keeps in full)
     */
    Outcome run(String hazard, String preset, long seed, boolean explain);

    /**
     * One scenario run.
     *
     * @param operations  operations executed
     * @param violations  the violations retained (each with its timeline)
     * @param counts      exact counts
     * @param timeline    the interleaving that led to the first violation (when explained), or empty
     * @param minimal     the shrunk operation log that still reproduces the first violation, or empty
     * @param opsToFirst  operations until the first violation (0 if none)
     */
    record Outcome(long operations, List<Violation> violations, Map<ViolationKind, Long> counts,
                   List<TimelineEvent> timeline, List<TimelineEvent> minimal, long opsToFirst) {
    }
}
