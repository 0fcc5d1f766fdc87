package io.staleguard.maven.internal.fork;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.kernel.Hazard;
import io.staleguard.device.sim.kernel.KernelPreset;
import io.staleguard.device.sim.kernel.ScenarioResult;
import io.staleguard.device.sim.kernel.ScenarioRunner;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hazard scenarios of {@code io.staleguard.device.sim.kernel} (H1–H5 on the deterministic
 * scheduler), each run with its default workload until its first violation or {@link #opsPerRun}.
 */
final class KernelScenarioEngine implements ScenarioEngine {

    private final long opsPerRun;

    KernelScenarioEngine(long opsPerRun) {
        this.opsPerRun = opsPerRun;
    }

    @Override
    public List<String> presets(String spec) {
        if (spec.trim().equalsIgnoreCase("ALL")) {
            return KernelPreset.all().stream().map(Enum::name).toList();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String part : spec.split(",")) {
            if (!part.isBlank()) {
                names.add(KernelPreset.named(part.trim()).name());
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no preset given (use MODERN, a comma list, ALL or NONE)");
        }
        return List.copyOf(names);
    }

    @Override
    public List<String> hazards() {
        return Arrays.stream(Hazard.values()).map(Enum::name).toList();
    }

    @Override
    public String hazardOf(String preset) {
        return KernelPreset.named(preset).hazard().map(Enum::name).orElse("");
    }

    @Override
    public Outcome run(String hazard, String preset, long seed, boolean explain) {
        Hazard h = Hazard.named(hazard);
        ScenarioResult r = ScenarioRunner.run(h, h.defaultMode(), KernelPreset.named(preset).config(), seed,
                opsPerRun, explain);
        Map<ViolationKind, Long> counts = new EnumMap<>(ViolationKind.class);
        for (Violation v : r.violations()) {
            counts.merge(v.kind(), 1L, Long::sum);
        }
        return new Outcome(r.operations(), r.violations(), counts, r.timeline(), r.minimalTimeline(),
                r.detected() ? r.operations() : 0);
    }
}
