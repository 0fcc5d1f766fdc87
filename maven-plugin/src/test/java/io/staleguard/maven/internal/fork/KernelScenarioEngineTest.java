package io.staleguard.maven.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.sim.kernel.Hazard;
import org.junit.jupiter.api.Test;

/**
 * H3 has two workloads; the soak runs both, picked by the seed. Darrick's second patch (wait on
 * writeback in write() only) shows the thread's prediction inside one soak: caught through the
 * mapping, clean through write().
 */
class KernelScenarioEngineTest {

    @Test
    void seedsAlternateTheWorkloadsOfAHazardWithSeveral() {
        assertThat(KernelScenarioEngine.modeFor(Hazard.H3, 2)).isEqualTo(Hazard.H3.defaultMode());
        assertThat(KernelScenarioEngine.modeFor(Hazard.H3, 3)).isNotEqualTo(Hazard.H3.defaultMode());
        assertThat(KernelScenarioEngine.modeFor(Hazard.H3, -3)).isEqualTo(KernelScenarioEngine.modeFor(Hazard.H3, 3));
        assertThat(KernelScenarioEngine.modeFor(Hazard.H1, 3)).isEqualTo(Hazard.H1.defaultMode());
    }

    @Test
    void writeOnlyStablePagesFailThroughTheMappingAndHoldThroughWrite() {
        KernelScenarioEngine engine = new KernelScenarioEngine(200_000);
        long mmapSeed = KernelScenarioEngine.modeFor(Hazard.H3, 2) == Hazard.Mode.MMAP ? 2 : 3;
        HazardScenarios.Outcome viaMapping = engine.run("H3", "STABLE_PAGES_WRITE_ONLY_2011", mmapSeed, false);
        HazardScenarios.Outcome viaWrite = engine.run("H3", "STABLE_PAGES_WRITE_ONLY_2011", mmapSeed + 1, false);
        assertThat(viaMapping.violations()).isNotEmpty();
        assertThat(viaMapping.counts()).containsOnlyKeys(io.staleguard.device.ViolationKind.GUARD_TAG);
        assertThat(viaWrite.violations()).isEmpty();
        assertThat(viaWrite.operations()).isEqualTo(200_000);
        // The bug itself fails both ways.
        assertThat(engine.run("H3", "STABLE_PAGES_NONE_2011", mmapSeed + 1, false).violations()).isNotEmpty();
    }
}
