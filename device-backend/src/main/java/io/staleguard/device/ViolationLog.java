package io.staleguard.device;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The violations a device (or a scenario) has recorded so far; can be queried at any time and
 * from any thread.
 *
 * <p>Memory is bounded: the counts are exact, but only the first {@link #retainedLimit()}
 * violations are kept in full.
 */
@API(status = STABLE, since = "0.1")
public interface ViolationLog {

    /** The retained violations, oldest first (a snapshot). */
    List<Violation> all();

    /** Exact counts per kind, including violations that were not retained. */
    Map<ViolationKind, Long> counts();

    /** Total number of violations recorded. */
    default long total() {
        return counts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Number of violations of one kind. */
    default long count(ViolationKind kind) {
        return counts().getOrDefault(kind, 0L);
    }

    /** The retained violations of one kind. */
    default List<Violation> ofKind(ViolationKind kind) {
        return all().stream().filter(v -> v.kind() == kind).toList();
    }

    /** How many violations are retained in full. */
    int retainedLimit();

    /** An empty, immutable count map to start from. */
    static Map<ViolationKind, Long> emptyCounts() {
        return new EnumMap<>(ViolationKind.class);
    }
}
