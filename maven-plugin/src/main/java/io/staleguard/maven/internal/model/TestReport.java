package io.staleguard.maven.internal.model;

import java.util.List;
import java.util.Map;

/**
 * The per-test report written by the JUnit extension ({@code staleguard-test-report/1}).
 */
public record TestReport(String format, String testId, String className, String methodName, String displayName,
                         String status, String seed, String backend, String preset, long operations, long bytes,
                         long durationMillis, String reproduce, Map<String, Long> counts,
                         List<ReportedViolation> violations) {

    /** The format name and major version this plugin reads. */
    public static final String FORMAT = "staleguard-test-report/1";

    public TestReport {
        className = className == null ? "" : className;
        methodName = methodName == null ? "" : methodName;
        displayName = displayName == null ? "" : displayName;
        status = status == null ? "" : status;
        seed = seed == null ? "" : seed;
        backend = backend == null ? "" : backend;
        preset = preset == null ? "" : preset;
        reproduce = reproduce == null ? "" : reproduce;
        counts = Counts.canonical(counts);
        violations = violations == null ? List.of() : List.copyOf(violations);
    }

    /** {@code Class#method}, as reproduce lines and build logs name a test. */
    public String testName() {
        return className + "#" + methodName;
    }
}
