package io.staleguard.junit.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.util.List;
import java.util.Map;

/**
 * What one source (a device, a verifying filesystem, a group of rewriters) found during one test.
 *
 * @param label      who found it ("device 'log'", "rewriters on device 'd'")
 * @param describe   the source's configuration, one line
 * @param backend    the backend name
 * @param preset     the preset, or empty
 * @param seed       the source's seed
 * @param operations I/O calls observed, or -1 if unknown
 * @param bytes      bytes transferred, or -1 if unknown
 * @param counts     exact counts per kind
 * @param violations the retained violations, oldest first
 * @param faults     the storage faults of a simulated device, or null for any other source
 */
public record SourceFindings(String label, String describe, String backend, String preset, long seed,
                             long operations, long bytes, Map<ViolationKind, Long> counts,
                             List<Violation> violations, SourceFaults faults) {

    /** A source without storage faults (a real device, rewriters). */
    public SourceFindings(String label, String describe, String backend, String preset, long seed,
                          long operations, long bytes, Map<ViolationKind, Long> counts, List<Violation> violations) {
        this(label, describe, backend, preset, seed, operations, bytes, counts, violations, null);
    }

    public SourceFindings {
        counts = Map.copyOf(counts);
        violations = List.copyOf(violations);
    }
}
