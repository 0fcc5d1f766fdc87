package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What one run of a hazard scenario on the deterministic scheduler produced.
 *
 * @param hazard            the hazard run
 * @param mode              the workload variant (H3: MMAP or WRITE; else STANDARD)
 * @param preset            the configuration's name (a {@link KernelPreset} name, or the user's)
 * @param config            the switches
 * @param seed              the seed every choice was drawn from
 * @param operations        operations executed (up to and including the one that produced the first
 *                          violation, if any)
 * @param virtualNanos      virtual time at the end of the run (at the first violation, if any)
 * @param wallNanos         wall-clock time of the live run (without replay and shrinking)
 * @param violations        the violations found (the run stops at the first; usually one)
 * @param timeline          the interleaving that led to the first violation, as recorded by replaying
 *                          the operation log (its last {@value io.staleguard.device.sim.kernel.internal.ScenarioEngine#TIMELINE_LIMIT}
 *                          events); empty when nothing was found or explanation was off
 * @param minimalViolation  the violation as the shrunk log reproduces it (same kind and block; its
 *                          version numbers are those of the shrunk run), with the minimal timeline
 *                          attached; null when nothing was found or explanation was off
 * @param minimalTimeline   the timeline of the operation log shrunk by delta debugging: the fewest
 *                          operations that still reproduce the violation (same kind, same block)
 * @param loggedOperations  operations in the full log
 * @param minimalOperations operations in the shrunk log
 * @param oneMinimal        whether the shrunk log is 1-minimal (removing any one op loses the violation)
 * @param reproduce         one line that reproduces this run
 * @param note              anything unusual (empty normally)
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ScenarioResult(Hazard hazard, Hazard.Mode mode, String preset, KernelConfig config, long seed,
                             long operations, long virtualNanos, long wallNanos, List<Violation> violations,
                             List<TimelineEvent> timeline, Violation minimalViolation,
                             List<TimelineEvent> minimalTimeline, int loggedOperations,
                             int minimalOperations, boolean oneMinimal, String reproduce, String note) {

    public ScenarioResult {
        violations = List.copyOf(violations);
        timeline = List.copyOf(timeline);
        minimalTimeline = List.copyOf(minimalTimeline);
    }

    /** Whether a violation was found. */
    public boolean detected() {
        return !violations.isEmpty();
    }

    /** The first violation, if any. */
    public Optional<Violation> firstViolation() {
        return violations.isEmpty() ? Optional.empty() : Optional.of(violations.get(0));
    }

    /** A readable report: verdict, violation, minimal interleaving, reproduce line. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(hazard).append(mode == Hazard.Mode.STANDARD ? "" : " (" + mode + ")").append(" under ").append(preset)
                .append(", seed 0x").append(Long.toHexString(seed)).append(": ");
        if (!detected()) {
            b.append("no violation in ").append(operations).append(" operations (")
                    .append(virtualNanos / 1000).append(" us virtual)\n");
            return b.toString();
        }
        Violation v = violations.get(0);
        b.append(v.kind().inWords()).append(" after ").append(operations).append(" operations, ")
                .append(virtualNanos / 1000).append(" us virtual\n  ").append(v.summary()).append('\n');
        if (!v.detail().isEmpty()) {
            b.append("  ").append(v.detail()).append('\n');
        }
        if (!minimalTimeline.isEmpty()) {
            if (minimalViolation != null) {
                b.append("  shrunk: ").append(minimalViolation.summary()).append('\n');
            }
            b.append("  minimal interleaving (").append(minimalOperations).append(" of ").append(loggedOperations)
                    .append(" operations").append(oneMinimal ? ", 1-minimal" : "").append("):\n");
            for (TimelineEvent e : minimalTimeline) {
                b.append("    ").append(e.render()).append('\n');
            }
        }
        if (!note.isEmpty()) {
            b.append("  note: ").append(note).append('\n');
        }
        b.append("  reproduce: ").append(reproduce).append('\n');
        return b.toString();
    }
}
