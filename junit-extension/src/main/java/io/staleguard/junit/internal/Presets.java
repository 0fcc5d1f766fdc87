package io.staleguard.junit.internal;

import io.staleguard.device.sim.SimulatedDevice;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Applies a simulated-stack preset, by name, to a simulated device builder. */
final class Presets {

    private Presets() {
    }

    static void apply(SimulatedDevice.Builder builder, String preset) {
        if (preset.isEmpty() || preset.equalsIgnoreCase(DeviceSpecs.DEFAULT_PRESET)) {
            return;
        }
        throw new ExtensionConfigurationException("unknown kernel preset '" + preset + "' (this build knows "
                + "[MODERN])");
    }
}
