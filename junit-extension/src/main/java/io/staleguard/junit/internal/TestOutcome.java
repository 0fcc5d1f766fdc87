package io.staleguard.junit.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything known about one finished test: who it is, its seeds, and the findings of each source.
 *
 * @param testId      the JUnit unique id
 * @param className   the fully qualified test class
 * @param methodName  the test method
 * @param displayName the display name
 * @param status      PASSED, FAILED or ABORTED
 * @param masterSeed  the run's master seed
 * @param testSeed    the test's derived seed
 * @param durationMillis wall time
 * @param reproduce   the reproduce command
 * @param failOn      the kinds that fail the test
 * @param sources     findings per source
 * @param crash       the states the test's crash violations replay with
 */
public record TestOutcome(String testId, String className, String methodName, String displayName, String status,
                          long masterSeed, long testSeed, long durationMillis, String reproduce,
                          Set<ViolationKind> failOn, List<SourceFindings> sources, CrashStates crash) {

    /** Exact counts per kind over all sources. */
    public Map<ViolationKind, Long> counts() {
        Map<ViolationKind, Long> all = new EnumMap<>(ViolationKind.class);
        for (SourceFindings s : sources) {
            s.counts().forEach((k, n) -> all.merge(k, n, Long::sum));
        }
        all.values().removeIf(n -> n == 0);
        return all;
    }

    /** Counts of the kinds that fail the test. */
    public Map<ViolationKind, Long> failingCounts() {
        Map<ViolationKind, Long> failing = counts();
        failing.keySet().retainAll(failOn);
        return failing;
    }

    /** Whether any failing kind was found. */
    public boolean fails() {
        return !failingCounts().isEmpty();
    }

    /** The retained violations of all sources, source by source. */
    public List<Violation> violations() {
        List<Violation> all = new ArrayList<>();
        sources.forEach(s -> all.addAll(s.violations()));
        return all;
    }

    /** A copy with another status. */
    public TestOutcome withStatus(String newStatus) {
        return new TestOutcome(testId, className, methodName, displayName, newStatus, masterSeed, testSeed,
                durationMillis, reproduce, failOn, sources, crash);
    }
}
