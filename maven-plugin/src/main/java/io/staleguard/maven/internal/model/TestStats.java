package io.staleguard.maven.internal.model;

import java.util.Map;

/**
 * How one {@code @Soak} test fared when repeated with fresh seeds.
 *
 * @param className       the test class
 * @param methodName      the test method
 * @param runs            executions
 * @param failures        executions that failed (for any reason)
 * @param operations      I/O operations summed over the executions (when the extension reported them)
 * @param bytes           bytes transferred summed over the executions
 * @param counts          violation kind name to count
 * @param firstReproduce  the reproduce command of the first failing execution, or empty
 * @param firstFailure    the first line of the first failure, or empty
 * @param faultsFired     injected faults that fired on the test's simulated devices, summed over the executions
 *                        (1.3; 0 in older summaries)
 */
public record TestStats(String className, String methodName, long runs, long failures, long operations, long bytes,
                        Map<String, Long> counts, String firstReproduce, String firstFailure, long faultsFired) {

    public TestStats {
        counts = Counts.canonical(counts);
        firstReproduce = firstReproduce == null ? "" : firstReproduce;
        firstFailure = firstFailure == null ? "" : firstFailure;
    }

    /**
     * This row and {@code other} (the same test, run later or on another machine) as one: runs, failures,
     * operations, bytes, counts and fired faults added, the earlier first reproduce line and first failure kept.
     */
    public TestStats plus(TestStats other) {
        return new TestStats(className, methodName, runs + other.runs, failures + other.failures,
                operations + other.operations, bytes + other.bytes, Counts.sum(counts, other.counts),
                firstReproduce.isEmpty() ? other.firstReproduce : firstReproduce,
                firstFailure.isEmpty() ? other.firstFailure : firstFailure, faultsFired + other.faultsFired);
    }

    /** {@code Class#method}. */
    public String testName() {
        return className + "#" + methodName;
    }
}
