package io.staleguard.maven.internal.fork;

import io.staleguard.device.Seeds;
import io.staleguard.maven.internal.model.Counts;
import io.staleguard.maven.internal.model.ScenarioStats;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.TestStats;
import io.staleguard.maven.internal.model.ThroughputSample;
import io.staleguard.maven.internal.model.ViolationEntry;
import io.staleguard.maven.internal.model.WorkloadStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a soak has found so far, safe to update from the part running and to snapshot from
 * the progress thread and the signal handler at any moment. Memory is bounded: rows per scenario,
 * test and workload, one sample per progress interval, and a capped list of violations.
 */
final class SoakStats {

    private final SoakConfig config;
    private final List<String> kernels;
    private final String startedAt;
    private final long startNanos;
    private long operations;
    private long bytes;
    private final Map<String, Long> counts = new HashMap<>();
    private final Map<String, ScenarioStats> scenarios = new LinkedHashMap<>();
    private final Map<String, TestStats> tests = new LinkedHashMap<>();
    private final Map<String, WorkloadStats> workloads = new LinkedHashMap<>();
    private final List<ThroughputSample> throughput = new ArrayList<>();
    private final List<ViolationEntry> violations = new ArrayList<>();

    SoakStats(SoakConfig config, List<String> kernels, String startedAt, long startNanos) {
        this.config = config;
        this.kernels = List.copyOf(kernels);
        this.startedAt = startedAt;
        this.startNanos = startNanos;
        throughput.add(new ThroughputSample(0, 0, 0, 0));
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    synchronized long operations() {
        return operations;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized Map<String, Long> counts() {
        return Counts.canonical(counts);
    }

    synchronized void addScenario(ScenarioStats run) {
        operations += run.operations();
        Counts.addInto(counts, run.counts());
        scenarios.merge(run.key(), run, ScenarioStats::plus);
    }

    /** Registers a scenario row with zero runs so that the table lists it even if the budget ran out first. */
    synchronized void declareScenario(String hazard, String preset) {
        scenarios.putIfAbsent(hazard + "@" + preset, new ScenarioStats(hazard, preset, 0, 0, 0, Map.of(), 0, 0, ""));
    }

    synchronized void addTest(TestStats run) {
        operations += run.operations();
        bytes += run.bytes();
        Counts.addInto(counts, run.counts());
        tests.merge(run.testName(), run, TestStats::plus);
    }

    synchronized void addWorkload(WorkloadStats run) {
        operations += run.operations();
        bytes += run.bytes();
        Counts.addInto(counts, run.counts());
        workloads.merge(run.backend(), run, (a, b) -> new WorkloadStats(a.backend(),
                b.description().isEmpty() ? a.description() : b.description(), a.runs() + b.runs(),
                a.operations() + b.operations(), a.bytes() + b.bytes(), Counts.sum(a.counts(), b.counts()),
                b.unavailable().isEmpty() ? a.unavailable() : b.unavailable()));
    }

    /** Whether another violation may be kept in full. */
    synchronized boolean wantsViolation(String name, int perName) {
        if (violations.size() >= config.maxViolationFiles()) {
            return false;
        }
        return violations.stream().filter(v -> v.name().equals(name)).count() < perName;
    }

    synchronized int nextViolationNumber() {
        return violations.size() + 1;
    }

    synchronized void addViolation(ViolationEntry e) {
        violations.add(e);
    }

    synchronized ThroughputSample sample() {
        ThroughputSample s = new ThroughputSample(elapsedMillis(), operations, bytes, Counts.total(counts));
        throughput.add(s);
        return s;
    }

    synchronized SoakSummary summary(String status, String detail) {
        return new SoakSummary(SoakSummary.FORMAT, status, detail, startedAt, config.budgetMillis(), elapsedMillis(),
                config.shard(), Seeds.hex(config.masterSeed()), kernels,
                config.backend().isEmpty() ? "simulated" : config.backend(), List.of(), operations, bytes,
                counts, List.copyOf(scenarios.values()), List.copyOf(tests.values()),
                List.copyOf(workloads.values()), List.copyOf(throughput), List.copyOf(violations));
    }

}
