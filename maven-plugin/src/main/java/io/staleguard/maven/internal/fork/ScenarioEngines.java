package io.staleguard.maven.internal.fork;

import java.util.Optional;

/**
 * Finds the scenario engine of the simulated kernel stack on the fork's classpath.
 */
final class ScenarioEngines {

    private ScenarioEngines() {
    }

    static Optional<HazardScenarios> create(long opsPerRun) {
        try {
            Class.forName("io.staleguard.device.sim.kernel.ScenarioRunner");
        } catch (ClassNotFoundException | LinkageError e) {
            // A project pinning an old device-backend: the soak says so instead of failing with a stack trace.
            return Optional.empty();
        }
        return Optional.of(new KernelScenarioEngine(opsPerRun));
    }

    static String unavailableReason() {
        return "the simulated kernel stack (io.staleguard.device.sim.kernel) is not on the soak's classpath; "
                + "use a staleguard-device-backend that has it, or staleguard.kernel=NONE";
    }
}
