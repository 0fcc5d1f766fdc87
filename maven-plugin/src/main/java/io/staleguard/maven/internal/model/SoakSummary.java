package io.staleguard.maven.internal.model;

import java.util.List;
import java.util.Map;

/**
 * The result of one soak, or of several merged ({@code staleguard-soak-summary/1}, file
 * {@code target/staleguard/soak-summary.json}).
 *
 * @param format        the format tag
 * @param status        {@code COMPLETE}, {@code INTERRUPTED} (partial: stopped by a signal),
 *                      {@code CRASHED} (the fork died) or {@code REPLAY} (one seed replayed)
 * @param statusDetail  why, for any status but {@code COMPLETE}
 * @param startedAt     ISO-8601 instant
 * @param budgetMillis  the time budget
 * @param elapsedMillis the time actually run
 * @param shard         {@code i/n}, or {@code 1/1}
 * @param masterSeed    the seed all run seeds derive from, hex
 * @param kernels       the kernel presets run
 * @param backend       {@code simulated}, {@code file} or {@code loop}
 * @param sources       for merged summaries: one line per input (host, shard, status); else empty
 * @param operations    operations over all parts
 * @param bytes         bytes over all parts
 * @param counts        violation kind name to exact count, over all parts
 * @param scenarios     per hazard and preset
 * @param tests         per {@code @Soak} test
 * @param workloads     per real backend workload
 * @param throughput    progress samples over time
 * @param violations    the first violations (each has a file with its timeline)
 * @param faults        the fault spec the {@code @Soak} tests ran with and the faults that fired (1.3; a summary
 *                      before it reads as {@link SoakFaults#NONE})
 */
public record SoakSummary(String format, String status, String statusDetail, String startedAt, long budgetMillis,
                          long elapsedMillis, String shard, String masterSeed, List<String> kernels, String backend,
                          List<String> sources, long operations, long bytes, Map<String, Long> counts,
                          List<ScenarioStats> scenarios, List<TestStats> tests, List<WorkloadStats> workloads,
                          List<ThroughputSample> throughput, List<ViolationEntry> violations, SoakFaults faults) {

    /** The format name and major version. */
    public static final String FORMAT = "staleguard-soak-summary/1";

    public SoakSummary {
        status = status == null ? "" : status;
        statusDetail = statusDetail == null ? "" : statusDetail;
        startedAt = startedAt == null ? "" : startedAt;
        shard = shard == null ? "1/1" : shard;
        masterSeed = masterSeed == null ? "" : masterSeed;
        kernels = kernels == null ? List.of() : List.copyOf(kernels);
        backend = backend == null ? "" : backend;
        sources = sources == null ? List.of() : List.copyOf(sources);
        counts = Counts.canonical(counts);
        scenarios = scenarios == null ? List.of() : List.copyOf(scenarios);
        tests = tests == null ? List.of() : List.copyOf(tests);
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
        throughput = throughput == null ? List.of() : List.copyOf(throughput);
        violations = violations == null ? List.of() : List.copyOf(violations);
        faults = faults == null ? SoakFaults.NONE : faults;
    }

    /** The same summary with another status and its detail (a crashed fork's last checkpoint, for one). */
    public SoakSummary withStatus(String newStatus, String newDetail) {
        return new SoakSummary(format, newStatus, newDetail, startedAt, budgetMillis, elapsedMillis, shard, masterSeed,
                kernels, backend, sources, operations, bytes, counts, scenarios, tests, workloads, throughput,
                violations, faults);
    }

    /** Whether the soak ran its whole budget (or replay) without its fork dying or being stopped. */
    public boolean complete() {
        return "COMPLETE".equals(status) || "REPLAY".equals(status);
    }
}
