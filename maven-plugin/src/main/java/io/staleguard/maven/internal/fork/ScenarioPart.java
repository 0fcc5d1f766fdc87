package io.staleguard.maven.internal.fork;

import io.staleguard.device.Violation;
import io.staleguard.maven.internal.model.ReportedEvent;
import io.staleguard.maven.internal.model.ReportedViolation;
import io.staleguard.maven.internal.model.ScenarioStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Part 1 of a soak: the hazard scenarios H1–H5 on the deterministic simulated stack, for every
 * selected preset, round robin over fresh seeds of this shard until the budget ends.
 */
final class ScenarioPart implements SoakPart {

    private final ScenarioEngine engine;
    private final List<String> presets;
    private final List<String[]> pairs = new ArrayList<>();

    ScenarioPart(ScenarioEngine engine, List<String> presets) {
        this.engine = engine;
        this.presets = presets;
    }

    @Override
    public boolean prepare(SoakContext ctx) {
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
        return "kernel scenarios " + String.join(",", engine.hazards()) + " on " + String.join(", ", presets);
    }

    @Override
    public void run(SoakContext ctx, long deadlineNanos) throws Exception {
        for (long j = 0; !ctx.over(deadlineNanos); j++) {
            for (String[] pair : pairs) {
                if (ctx.over(deadlineNanos)) {
                    return;
                }
                long seed = ctx.seeds.seed(pair[0] + "@" + pair[1], j);
                runOne(ctx, pair[0], pair[1], seed);
            }
        }
    }

    /** Runs one scenario seed and records it; returns the number of violations. */
    long runOne(SoakContext ctx, String hazard, String preset, long seed) throws Exception {
        ScenarioEngine.Outcome o = engine.run(hazard, preset, seed);
        String seedText = String.format("0x%016x", seed);
        String reproduce = reproduce(hazard, preset, seedText);
        Map<String, Long> counts = new LinkedHashMap<>();
        o.counts().forEach((k, v) -> counts.put(k.name(), v));
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        ctx.stats.addScenario(new ScenarioStats(hazard, preset, 1, o.operations(), total > 0 ? 1 : 0, counts,
                o.opsToFirst(), o.opsToFirst(), total > 0 ? reproduce : ""));
        boolean first = true;
        for (Violation v : o.violations()) {
            ctx.record("scenario", hazard + " on " + preset, hazard, preset, seedText, reproduce,
                    ReportedViolation.of(v), v.timeline().stream().map(ReportedEvent::of).toList(),
                    first ? o.minimal().stream().map(ReportedEvent::of).toList() : List.of(), o.operations());
            first = false;
        }
        return total;
    }

    /** The one line that replays a scenario seed and judges it. */
    static String reproduce(String hazard, String preset, String seed) {
        return "mvn staleguard:soak staleguard:check -Dstaleguard.kernel=" + preset + " -Dstaleguard.replay="
                + hazard + ":" + seed;
    }
}
