package io.staleguard.maven.internal.fork;

import io.staleguard.device.Seeds;
import io.staleguard.maven.internal.model.Counts;
import io.staleguard.maven.internal.model.ScenarioStats;
import io.staleguard.maven.internal.model.SoakFaults;
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
import java.util.function.Supplier;

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
    private long faultsFired;
    private final Map<String, Long> counts = new HashMap<>();
    private final Map<String, ScenarioStats> scenarios = new LinkedHashMap<>();
    private final Map<String, TestStats> tests = new LinkedHashMap<>();
    private final Map<String, WorkloadStats> workloads = new LinkedHashMap<>();
    private final List<ThroughputSample> throughput = new ArrayList<>();
    private final List<ViolationEntry> violations = new ArrayList<>();
    /**
     * The workload round in progress (a device lives up to a minute): counted in progress lines and checkpoints until
     * {@link #addWorkload} adds it for good, so neither shows 0 operations nor loses the round if the fork dies.
     */
    private Supplier<WorkloadStats> liveWorkload;

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
        WorkloadStats live = live();
        return operations + (live == null ? 0 : live.operations());
    }

    synchronized long bytes() {
        WorkloadStats live = live();
        return bytes + (live == null ? 0 : live.bytes());
    }

    synchronized Map<String, Long> counts() {
        WorkloadStats live = live();
        return Counts.canonical(live == null ? counts : Counts.sum(counts, live.counts()));
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
        faultsFired += run.faultsFired();
        tests.merge(run.testName(), run, TestStats::plus);
    }

    /** The workload round now running, read live until {@link #addWorkload} adds its final numbers. */
    synchronized void workloadRoundStarted(Supplier<WorkloadStats> live) {
        liveWorkload = live;
    }

    /** Adds a finished workload round (and ends the live one: it is counted once). */
    synchronized void addWorkload(WorkloadStats run) {
        liveWorkload = null;
        operations += run.operations();
        bytes += run.bytes();
        Counts.addInto(counts, run.counts());
        workloads.merge(run.backend(), run, SoakStats::plus);
    }

    private static WorkloadStats plus(WorkloadStats a, WorkloadStats b) {
        return new WorkloadStats(a.backend(), b.description().isEmpty() ? a.description() : b.description(),
                a.runs() + b.runs(), a.operations() + b.operations(), a.bytes() + b.bytes(),
                Counts.sum(a.counts(), b.counts()), b.unavailable().isEmpty() ? a.unavailable() : b.unavailable());
    }

    /** Adds the live round as far as it got, if it was not added: a round that failed still counts what it did. */
    synchronized void settleWorkloadRound() {
        WorkloadStats live = live();
        if (live != null) {
            addWorkload(live);
        }
    }

    /** The live round's numbers now, or null. */
    private WorkloadStats live() {
        return liveWorkload == null ? null : liveWorkload.get();
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
        WorkloadStats live = live();
        ThroughputSample s = live == null
                ? new ThroughputSample(elapsedMillis(), operations, bytes, Counts.total(counts))
                : new ThroughputSample(elapsedMillis(), operations + live.operations(), bytes + live.bytes(),
                        Counts.total(counts) + Counts.total(live.counts()));
        throughput.add(s);
        return s;
    }

    /** The summary so far; a workload round still running is in it with what it has done until now. */
    synchronized SoakSummary summary(String status, String detail) {
        WorkloadStats live = live();
        Map<String, WorkloadStats> rows = workloads;
        if (live != null) {
            rows = new LinkedHashMap<>(workloads);
            rows.merge(live.backend(), live, SoakStats::plus);
        }
        return new SoakSummary(SoakSummary.FORMAT, status, detail, startedAt, config.budgetMillis(), elapsedMillis(),
                config.shard(), Seeds.hex(config.masterSeed()), kernels,
                config.backend().isEmpty() ? "simulated" : config.backend(), List.of(),
                operations + (live == null ? 0 : live.operations()), bytes + (live == null ? 0 : live.bytes()),
                live == null ? counts : Counts.sum(counts, live.counts()), List.copyOf(scenarios.values()),
                List.copyOf(tests.values()),
                List.copyOf(rows.values()), List.copyOf(throughput), List.copyOf(violations),
                new SoakFaults(config.faults(), faultsFired));
    }

}
