package io.staleguard.junit.internal;

import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelPreset;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Applies a simulated-stack preset, by name, to a simulated device builder. */
final class Presets {

    private Presets() {
    }

    static void apply(SimulatedDevice.Builder builder, String preset) {
        KernelPreset p;
        try {
            p = KernelPreset.named(preset);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("kernel preset '" + preset + "': " + e.getMessage());
        }
        if (p == KernelPreset.MODERN) {
            return;
        }
        throw new ExtensionConfigurationException("kernel preset '" + preset + "' needs the simulated kernel I/O "
                + "path under real threads, which this build does not have yet; use MODERN");
    }
}
