package io.staleguard.maven.internal.merge;

import io.staleguard.maven.internal.check.SoakStatus;
import io.staleguard.maven.internal.model.Counts;
import io.staleguard.maven.internal.model.ScenarioStats;
import io.staleguard.maven.internal.model.SoakFaults;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.TestStats;
import io.staleguard.maven.internal.model.ThroughputSample;
import io.staleguard.maven.internal.model.ViolationEntry;
import io.staleguard.maven.internal.model.WorkloadStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Combines soak summaries from several machines or shards into one: counts, operations and rows
 * are summed, violations are kept with ids made unique, and the status is the worst input's.
 */
public final class SummaryMerger {

    private SummaryMerger() {
    }

    /**
     * One input summary with a label for the {@code sources} list and a prefix that makes its
     * violation ids unique.
     *
     * @param label  where it came from (a path)
     * @param prefix id prefix for its violations, such as {@code "s1-"}
     * @param summary the summary
     */
    public record Input(String label, String prefix, SoakSummary summary) {
    }

    /** Merges {@code inputs} (at least one). */
    public static SoakSummary merge(List<Input> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        long budget = 0;
        long elapsed = 0;
        long ops = 0;
        long bytes = 0;
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, ScenarioStats> scenarios = new LinkedHashMap<>();
        Map<String, TestStats> tests = new LinkedHashMap<>();
        Map<String, WorkloadStats> workloads = new LinkedHashMap<>();
        List<ThroughputSample> throughput = new ArrayList<>();
        List<ViolationEntry> violations = new ArrayList<>();
        Set<String> kernels = new LinkedHashSet<>();
        Set<String> seeds = new LinkedHashSet<>();
        Set<String> backends = new LinkedHashSet<>();
        List<String> shards = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        SoakStatus status = SoakStatus.COMPLETE;
        List<String> details = new ArrayList<>();
        String startedAt = null;
        SoakFaults faults = SoakFaults.NONE;
        for (Input in : inputs) {
            SoakSummary s = in.summary();
            budget = Math.max(budget, s.budgetMillis());
            elapsed = Math.max(elapsed, s.elapsedMillis());
            ops += s.operations();
            bytes += s.bytes();
            Counts.addInto(counts, s.counts());
            for (ScenarioStats row : s.scenarios()) {
                scenarios.merge(row.key(), row, ScenarioStats::plus);
            }
            for (TestStats row : s.tests()) {
                tests.merge(row.testName(), row, TestStats::plus);
            }
            for (WorkloadStats row : s.workloads()) {
                workloads.merge(row.backend(), row, SummaryMerger::add);
            }
            addSamples(throughput, s.throughput());
            faults = faults.plus(s.faults());
            for (ViolationEntry e : s.violations()) {
                violations.add(new ViolationEntry(in.prefix() + e.id(), e.source(), e.name(), e.hazard(), e.preset(),
                        e.seed(), e.reproduce(), e.file().isEmpty() ? "" : rename(e.file(), in.prefix()),
                        e.violation()));
            }
            kernels.addAll(s.kernels());
            if (!s.masterSeed().isEmpty()) {
                seeds.add(s.masterSeed());
            }
            if (!s.backend().isEmpty()) {
                backends.add(s.backend());
            }
            shards.add(s.shard());
            if (s.sources().isEmpty()) {
                sources.add(in.label() + ": shard " + s.shard() + ", " + s.status() + ", " + s.operations()
                        + " operations, violations: " + Counts.inWords(s.counts()));
            } else {
                sources.addAll(s.sources());
            }
            // An unknown status counts as the worst: a merge must never make a result look more whole than its parts.
            status = SoakStatus.worse(status, SoakStatus.parse(s.status()).orElse(SoakStatus.CRASHED));
            if (!s.statusDetail().isEmpty()) {
                details.add(in.label() + ": " + s.statusDetail());
            }
            if (startedAt == null || (!s.startedAt().isEmpty() && s.startedAt().compareTo(startedAt) < 0)) {
                startedAt = s.startedAt();
            }
        }
        return new SoakSummary(SoakSummary.FORMAT, status.name(), String.join("; ", details), startedAt, budget, elapsed,
                String.join("+", shards), seeds.size() == 1 ? seeds.iterator().next() : String.join(",", seeds),
                List.copyOf(kernels), String.join(",", backends), sources, ops, bytes, counts,
                List.copyOf(scenarios.values()), List.copyOf(tests.values()), List.copyOf(workloads.values()),
                throughput, violations, faults);
    }

    /** The violation file name an input's file gets in the merged directory. */
    public static String rename(String file, String prefix) {
        int slash = file.lastIndexOf('/');
        return file.substring(0, slash + 1) + prefix + file.substring(slash + 1);
    }

    private static WorkloadStats add(WorkloadStats a, WorkloadStats b) {
        return new WorkloadStats(a.backend(), a.description().equals(b.description()) ? a.description()
                : a.description() + "; " + b.description(), a.runs() + b.runs(), a.operations() + b.operations(),
                a.bytes() + b.bytes(), Counts.sum(a.counts(), b.counts()),
                a.unavailable().isEmpty() ? b.unavailable() : a.unavailable());
    }

    /** Machines run side by side: sample i of each covers the same interval, so samples add up by index. */
    private static void addSamples(List<ThroughputSample> into, List<ThroughputSample> add) {
        for (int i = 0; i < add.size(); i++) {
            ThroughputSample b = add.get(i);
            if (i < into.size()) {
                ThroughputSample a = into.get(i);
                into.set(i, new ThroughputSample(Math.max(a.elapsedMillis(), b.elapsedMillis()),
                        a.operations() + b.operations(), a.bytes() + b.bytes(), a.violations() + b.violations()));
            } else {
                into.add(b);
            }
        }
    }
}
