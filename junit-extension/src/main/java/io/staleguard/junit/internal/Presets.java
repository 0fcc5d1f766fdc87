package io.staleguard.junit.internal;

import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelConfig;
import io.staleguard.device.sim.kernel.KernelIoPath;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Puts the simulated Linux I/O stack, in the state a preset names, in front of a simulated device's media: page
 * cache with read-ahead and writeback for buffered I/O, invalidation around direct writes, stable pages, for
 * every preset, {@code MODERN} included (where every fix is on, so the stack adds no hazard of its own).
 * Accepts a preset name ({@code MODERN}, the default, or one of the historical bug presets) or the
 * {@code PRESET+switch=VALUE,...} form of {@link KernelConfig#parse}.
 */
final class Presets {

    private Presets() {
    }

    static void apply(SimulatedDevice.Builder builder, String preset, boolean dax) {
        KernelConfig config;
        try {
            config = KernelConfig.parse(preset.isEmpty() ? DeviceSpecs.DEFAULT_PRESET : preset);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("kernel preset '" + preset + "': " + e.getMessage());
        }
        if (dax) {
            builder.ioPath(KernelIoPath.dax(config));
        } else {
            builder.ioPath(KernelIoPath.of(config));
        }
    }
}
