package io.staleguard.maven.internal.model;

import java.util.Map;

/**
 * The verified random-I/O workload on a real backend.
 *
 * @param backend      {@code file} or {@code loop}
 * @param description  the device's one-line description
 * @param runs         device sessions (one per seed)
 * @param operations   I/O calls
 * @param bytes        bytes transferred
 * @param counts       violation kind name to count
 * @param unavailable  why the backend could not be used, or empty
 */
public record WorkloadStats(String backend, String description, long runs, long operations, long bytes,
                            Map<String, Long> counts, String unavailable) {

    public WorkloadStats {
        description = description == null ? "" : description;
        counts = Counts.canonical(counts);
        unavailable = unavailable == null ? "" : unavailable;
    }
}
