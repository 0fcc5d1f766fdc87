package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.CrashStateNotPlannedException;
import java.util.List;
import java.util.Map;

/**
 * The planned states of one exploration, in number order, with the volatile set of every point they use.
 *
 * @param duplicates candidates skipped because an accepted state had the same fingerprint
 */
public record CrashPlan(List<StatePlan> states, List<CrashPoint> points, Map<Integer, VolatileSet> sets,
                        int duplicates, int budget) {

    public CrashPlan {
        states = List.copyOf(states);
        points = List.copyOf(points);
        sets = Map.copyOf(sets);
    }

    /** State {@code n}, refused naming the setting when the plan has no such state. */
    public StatePlan state(int n) {
        if (n < 0 || n >= states.size()) {
            throw new CrashStateNotPlannedException(n, states.size(), budget);
        }
        return states.get(n);
    }

    /** The volatile set of {@code s}'s point. */
    public VolatileSet setOf(StatePlan s) {
        return sets.get(s.point().point());
    }
}
