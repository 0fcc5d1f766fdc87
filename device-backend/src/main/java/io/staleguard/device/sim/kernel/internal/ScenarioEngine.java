package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.kernel.Hazard;
import io.staleguard.device.sim.kernel.KernelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a hazard's workload on the deterministic scheduler, then (on a violation) replays the
 * operation log to capture a readable timeline and shrinks it by delta debugging.
 */
public final class ScenarioEngine {

    /** Timeline events kept from the full run (the most recent ones). */
    public static final int TIMELINE_LIMIT = 400;
    /** Replays delta debugging may run. */
    public static final int SHRINK_BUDGET = 4000;

    /** Everything one run produced. */
    public record Outcome(long operations, long virtualNanos, long wallNanos, List<Violation> violations,
                          List<TimelineEvent> timeline, Violation minimalViolation, List<TimelineEvent> minimalTimeline,
                          int loggedOperations, int minimalOperations, boolean oneMinimal, int shrinkTests,
                          String note) {
    }

    private ScenarioEngine() {
    }

    static World newWorld(Hazard hazard, Hazard.Mode mode, KernelConfig cfg, Sim sim) {
        return switch (hazard) {
            case H1 -> new RingBufferWorld(sim, cfg, false);
            case H2 -> new RingBufferWorld(sim, cfg, true);
            case H3 -> new StablePagesWorld(sim, cfg, mode != Hazard.Mode.WRITE);
            case H4 -> new DaxWorld(sim, cfg);
            case H5 -> new PartialReadWorld(sim, cfg);
        };
    }

    /** Runs live until the first violation or {@code maxOps} operations; shrinks if asked. */
    public static Outcome run(Hazard hazard, Hazard.Mode mode, KernelConfig cfg, long seed, long maxOps,
                              boolean explain) {
        long t0 = System.nanoTime();
        Sim sim = Sim.live(seed, false, explain);
        World world = newWorld(hazard, mode, cfg, sim);
        world.k.recorder.onViolation(v -> sim.stop());
        sim.run(world, maxOps);
        if (world.k.recorder.total() == 0) {
            world.finish();
        }
        long wall = System.nanoTime() - t0;
        List<Violation> violations = world.k.recorder.all();
        if (violations.isEmpty() || !explain) {
            return new Outcome(sim.executed(), sim.now(), wall, violations, List.of(), null, List.of(),
                    sim.log().size(), 0, false, 0, "");
        }
        if (sim.logOverflow()) {
            return new Outcome(sim.executed(), sim.now(), wall, violations, List.of(), null, List.of(),
                    sim.log().size(), 0, false, 0,
                    "operation log exceeded " + Sim.LOG_LIMIT + " ops: no timeline; rerun with fewer ops");
        }
        Violation first = violations.get(0);
        List<Op> ops = List.copyOf(sim.log());
        Replay full = replay(hazard, mode, cfg, ops, first, true);
        DeltaDebugger.Result<Op> min = DeltaDebugger.minimize(ops,
                candidate -> replay(hazard, mode, cfg, candidate, first, false).reproduced, SHRINK_BUDGET);
        Replay minimal = replay(hazard, mode, cfg, min.items(), first, true);
        List<TimelineEvent> timeline = full.events.size() > TIMELINE_LIMIT
                ? full.events.subList(full.events.size() - TIMELINE_LIMIT, full.events.size()) : full.events;
        List<Violation> attached = new ArrayList<>(violations.size());
        for (Violation v : violations) {
            attached.add(v == first ? v.withTimeline(timeline) : v);
        }
        String note = full.reproduced ? "" : "replay of the operation log did not reproduce the violation";
        Violation minimalViolation = minimal.violation == null ? null : minimal.violation.withTimeline(minimal.events);
        return new Outcome(sim.executed(), sim.now(), wall, attached, List.copyOf(timeline), minimalViolation,
                minimal.events, ops.size(), min.items().size(), min.oneMinimal(), min.tests(), note);
    }

    /** A continuing run's tally: operations, violations counted, virtual time. */
    public record Tally(long operations, long violations, long virtualNanos) {
    }

    /**
     * Runs {@code ops} operations without stopping at violations and counts them all: the rate at
     * which a configuration goes wrong ("always wrong" vs "sometimes wrong").
     */
    public static Tally count(Hazard hazard, Hazard.Mode mode, KernelConfig cfg, long seed, long ops) {
        Sim sim = Sim.live(seed, false, false);
        World world = newWorld(hazard, mode, cfg, sim);
        sim.run(world, ops);
        world.finish();
        return new Tally(sim.executed(), world.k.recorder.total(), sim.now());
    }

    private record Replay(boolean reproduced, Violation violation, List<TimelineEvent> events) {
    }

    private static Replay replay(Hazard hazard, Hazard.Mode mode, KernelConfig cfg, List<Op> ops, Violation target,
                                 boolean capture) {
        Sim sim = Sim.replaying(capture);
        World world = newWorld(hazard, mode, cfg, sim);
        Violation[] hit = new Violation[1];
        world.k.recorder.onViolation(v -> {
            if (hit[0] == null && matches(v, target)) {
                hit[0] = v;
                sim.stop();
            }
        });
        sim.replay(world, ops);
        if (hit[0] == null) {
            world.finish();
        }
        return new Replay(hit[0] != null, hit[0], sim.events());
    }

    private static boolean matches(Violation v, Violation target) {
        ViolationKind k = target.kind();
        return v.kind() == k && v.lba() == target.lba();
    }
}
