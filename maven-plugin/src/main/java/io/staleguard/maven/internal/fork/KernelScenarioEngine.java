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
 * scheduler), each run until its first violation or {@link #opsPerRun}. A hazard with several
 * workloads (H3: Darrick's reproducer through a mapping and through {@code write()}) runs the one
 * {@link #modeFor} picks from the seed, so a soak covers both and a replayed seed runs the same one.
 */
final class KernelScenarioEngine implements HazardScenarios {

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

    /** The workload of {@code hazard} for {@code seed}: its modes in turn, the default one for even seeds. */
    static Hazard.Mode modeFor(Hazard hazard, long seed) {
        java.util.List<Hazard.Mode> modes = hazard.modes();
        int first = modes.indexOf(hazard.defaultMode());
        return modes.get((first + (int) Math.floorMod(seed, (long) modes.size())) % modes.size());
    }

    @Override
    public Outcome run(String hazard, String preset, long seed, boolean explain) {
        Hazard h = Hazard.named(hazard);
        ScenarioResult r = ScenarioRunner.run(h, modeFor(h, seed), KernelPreset.named(preset).config(), seed,
                opsPerRun, explain);
        Map<ViolationKind, Long> counts = new EnumMap<>(ViolationKind.class);
        for (Violation v : r.violations()) {
            counts.merge(v.kind(), 1L, Long::sum);
        }
        return new Outcome(r.operations(), r.violations(), counts, r.timeline(), r.minimalTimeline(),
                r.detected() ? r.operations() : 0);
    }
}
