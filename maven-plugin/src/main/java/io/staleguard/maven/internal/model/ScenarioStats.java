package io.staleguard.maven.internal.model;

import java.util.Map;

/**
 * How one built-in hazard scenario fared under one kernel preset during a soak.
 *
 * @param hazard               H1..H5
 * @param preset               the simulated-stack preset
 * @param runs                 seeds run
 * @param operations           operations summed over runs
 * @param runsWithViolations   seeds that produced at least one violation
 * @param counts               violation kind name to count
 * @param opsToFirstMin        fewest operations to the first violation over the violating runs (0 if none)
 * @param opsToFirstMax        most operations to the first violation (0 if none)
 * @param firstReproduce       the reproduce command of the first violating seed, or empty
 */
public record ScenarioStats(String hazard, String preset, long runs, long operations, long runsWithViolations,
                            Map<String, Long> counts, long opsToFirstMin, long opsToFirstMax,
                            String firstReproduce) {

    public ScenarioStats {
        counts = Counts.canonical(counts);
        firstReproduce = firstReproduce == null ? "" : firstReproduce;
    }

    /**
     * This row and {@code other} (the same scenario, run later or on another machine) as one: runs, operations and
     * counts added, the operations-to-first-violation range widened, the earlier first reproduce line kept.
     */
    public ScenarioStats plus(ScenarioStats other) {
        return new ScenarioStats(hazard, preset, runs + other.runs, operations + other.operations,
                runsWithViolations + other.runsWithViolations, Counts.sum(counts, other.counts),
                minPositive(opsToFirstMin, other.opsToFirstMin), Math.max(opsToFirstMax, other.opsToFirstMax),
                firstReproduce.isEmpty() ? other.firstReproduce : firstReproduce);
    }

    /** The smaller of two operation counts where 0 means "no violating run". */
    private static long minPositive(long a, long b) {
        if (a <= 0) {
            return b;
        }
        return b <= 0 ? a : Math.min(a, b);
    }

    /** The key that identifies this row when summaries are merged. */
    public String key() {
        return hazard + "@" + preset;
    }
}
