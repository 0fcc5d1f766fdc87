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

    /** The key that identifies this row when summaries are merged. */
    public String key() {
        return hazard + "@" + preset;
    }
}
