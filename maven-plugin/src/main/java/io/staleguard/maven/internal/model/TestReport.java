package io.staleguard.maven.internal.model;

import java.util.List;
import java.util.Map;

/**
 * The per-test report written by the JUnit extension ({@code staleguard-test-report/1}, any minor version: a minor
 * version only adds optional members).
 *
 * @param formatVersion major and minor version ({@code 1.2}); {@code 1.0} for a report written before the field
 * @param devices       the test's sources; a simulated device's carries its faults from format 1.2
 */
public record TestReport(String format, String testId, String className, String methodName, String displayName,
                         String status, String seed, String backend, String preset, long operations, long bytes,
                         long durationMillis, String reproduce, Map<String, Long> counts,
                         List<ReportedViolation> violations, String formatVersion,
                         List<ReportedDevice> devices) {

    /** The format name and major version this plugin reads. */
    public static final String FORMAT = "staleguard-test-report/1";
    /** The newest minor version this plugin knows the members of. */
    public static final String FORMAT_VERSION = "1.2";

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
        devices = devices == null ? List.of() : List.copyOf(devices);
    }

    /**
     * The fault specs worth showing, one per simulated device that had a spec or a fired fault:
     * "{@code device 'd': fsync-error@2 (1 fired)}"; empty for a test without faults and for reports before 1.2.
     */
    public List<String> faultLines() {
        return devices.stream().filter(d -> d.faults() != null && d.faults().any())
                .map(d -> d.label() + ": " + d.faults().spec() + " (" + d.faults().fired() + " fired)").toList();
    }

    /** {@code Class#method}, as reproduce lines and build logs name a test. */
    public String testName() {
        return className + "#" + methodName;
    }
}
