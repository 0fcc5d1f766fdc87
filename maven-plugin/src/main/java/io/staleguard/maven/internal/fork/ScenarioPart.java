package io.staleguard.maven.internal.fork;

import io.staleguard.device.Seeds;
import io.staleguard.device.Violation;
import io.staleguard.maven.internal.model.ReportedEvent;
import io.staleguard.maven.internal.model.ReportedViolation;
import io.staleguard.maven.internal.model.ScenarioStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Part 1 of a soak: the hazard scenarios H1–H5 on the deterministic simulated stack, for every
 * selected preset, round robin over fresh seeds of this shard until the budget ends.
 */
final class ScenarioPart implements SoakPart {

    private final HazardScenarios engine;
    private final List<String> presets;
    private final List<String[]> pairs = new ArrayList<>();
    private int threads = 1;

    private final String why;

    ScenarioPart(HazardScenarios engine, List<String> presets) {
        this(engine, presets, "");
    }

    ScenarioPart(HazardScenarios engine, List<String> presets, String why) {
        this.engine = engine;
        this.presets = presets;
        this.why = why;
    }

    @Override
    public String why() {
        return why;
    }

    @Override
    public boolean prepare(SoakContext ctx) {
        threads = ctx.config.scenarioThreads();
        for (String preset : presets) {
            for (String hazard : engine.hazards()) {
                pairs.add(new String[] {hazard, preset});
                ctx.stats.declareScenario(hazard, preset);
            }
        }
        return !pairs.isEmpty();
    }

    @Override
    public String describe() {
        return "kernel scenarios " + String.join(",", engine.hazards()) + " on " + String.join(", ", presets)
                + (threads > 1 ? " (" + threads + " threads)" : "");
    }


    @Override
    public void run(SoakContext ctx, long deadlineNanos) throws Exception {
        int threads = ctx.config.scenarioThreads();
        AtomicLong next = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        // Seeds are handed out in order: task t is pair t % pairs, seed index t / pairs. Every scenario and
        // preset gets at least its first seed, however short the budget.
        Runnable worker = () -> {
            while (failure.get() == null && !ctx.stop.get()) {
                long t = next.getAndIncrement();
                long j = t / pairs.size();
                if (j > 0 && ctx.over(deadlineNanos)) {
                    return;
                }
                String[] pair = pairs.get((int) (t % pairs.size()));
                try {
                    runOne(ctx, pair[0], pair[1], ctx.seeds.seed(pair[0] + "@" + pair[1], j));
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        List<Thread> started = new ArrayList<>();
        for (int i = 1; i < threads; i++) {
            Thread th = new Thread(worker, "staleguard-scenarios-" + i);
            th.start();
            started.add(th);
        }
        worker.run();
        for (Thread th : started) {
            th.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Runs one scenario seed and records it; returns the number of violations. */
    long runOne(SoakContext ctx, String hazard, String preset, long seed) throws Exception {
        HazardScenarios.Outcome o = engine.run(hazard, preset, seed, false);
        String seedText = Seeds.hex(seed);
        String reproduce = reproduce(hazard, preset, seedText, ctx.config.opsPerRun());
        Map<String, Long> counts = new LinkedHashMap<>();
        o.counts().forEach((k, v) -> counts.put(k.name(), v));
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        ctx.stats.addScenario(new ScenarioStats(hazard, preset, 1, o.operations(), total > 0 ? 1 : 0, counts,
                o.opsToFirst(), o.opsToFirst(), total > 0 ? reproduce : ""));
        String name = hazard + " on " + preset;
        if (total > 0 && ctx.stats.wantsViolation(name, SoakContext.PER_SOURCE)) {
            // Same seed, same verdict: run again, this time recording and shrinking the interleaving.
            HazardScenarios.Outcome explained = engine.run(hazard, preset, seed, true);
            boolean first = true;
            for (Violation v : explained.violations()) {
                List<ReportedEvent> timeline = (first && !explained.timeline().isEmpty() ? explained.timeline()
                        : v.timeline()).stream().map(ReportedEvent::of).toList();
                ctx.record("scenario", name, hazard, preset, seedText, reproduce, ReportedViolation.of(v), timeline,
                        first ? explained.minimal().stream().map(ReportedEvent::of).toList() : List.of(),
                        explained.operations());
                first = false;
            }
        }
        return total;
    }

    /** The one line that replays a scenario seed and judges it. */
    static String reproduce(String hazard, String preset, String seed, long opsPerRun) {
        return "mvn staleguard:soak staleguard:check -Dstaleguard.kernel=" + preset + " -Dstaleguard.replay="
                + hazard + ":" + seed + (opsPerRun == DEFAULT_OPS_PER_RUN ? "" : " -Dstaleguard.opsPerRun=" + opsPerRun);
    }

    /** The soak goal's default of {@code staleguard.opsPerRun}; reproduce lines name it only when changed. */
    static final long DEFAULT_OPS_PER_RUN = 10_000;
}
