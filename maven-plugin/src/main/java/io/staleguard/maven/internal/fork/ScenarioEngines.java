package io.staleguard.maven.internal.fork;

import java.util.Optional;

/**
 * Finds the scenario engine of the simulated kernel stack.
 */
final class ScenarioEngines {

    private ScenarioEngines() {
    }

    static Optional<ScenarioEngine> create(long opsPerRun) {
        return Optional.empty();
    }

    static String unavailableReason() {
        return "the simulated kernel stack (io.staleguard.device.sim.kernel) is not in this build yet";
    }
}
