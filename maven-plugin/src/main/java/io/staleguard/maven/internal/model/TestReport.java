package io.staleguard.maven.internal.model;

import java.util.List;
import java.util.Map;

/**
 * The per-test report written by the JUnit extension ({@code staleguard-test-report/1}, any minor version: a minor
 * version only adds optional members).
 *
 * @param formatVersion major and minor version ({@code 1.1}); {@code 1.0} for a report written before the field
 */
public record TestReport(String format, String testId, String className, String methodName, String displayName,
                         String status, String seed, String backend, String preset, long operations, long bytes,
                         long durationMillis, String reproduce, Map<String, Long> counts,
                         List<ReportedViolation> violations, String formatVersion) {

    /** The format name and major version this plugin reads. */
    public static final String FORMAT = "staleguard-test-report/1";
    /** The newest minor version this plugin knows the members of. */
    public static final String FORMAT_VERSION = "1.1";

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
        formatVersion = formatVersion == null || formatVersion.isBlank() ? "1.0" : formatVersion;
    }

    /** {@code Class#method}, as reproduce lines and build logs name a test. */
    public String testName() {
        return className + "#" + methodName;
    }
}
