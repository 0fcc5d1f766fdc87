package io.staleguard.junit.internal;

import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelConfig;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Puts the simulated Linux I/O stack, in the state a preset names, in front of a simulated device's media: page
 * cache with read-ahead and writeback for buffered I/O, invalidation around direct writes, stable pages
 * (every preset but {@code MODERN}; see {@link #apply}).
 * Accepts a preset name ({@code MODERN}, the default, or one of the historical bug presets) or the
 * {@code PRESET+switch=VALUE,...} form of {@link KernelConfig#parse}.
 */
final class Presets {

    private Presets() {
    }

    static void apply(SimulatedDevice.Builder builder, String preset) {
        KernelConfig config;
        try {
            config = KernelConfig.parse(preset.isEmpty() ? DeviceSpecs.DEFAULT_PRESET : preset);
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("kernel preset '" + preset + "': " + e.getMessage());
        }
        // MODERN has every fix on, so the stack has no hazard to show; the device then runs without the
        // simulated page cache, whose buffered-write path does not yet check the caller's data against the
        // protection computed at submission, nor tell the short-write tracker what it absorbed. Historical
        // presets need the stack and get it.
        if (!config.spec().equals(DeviceSpecs.DEFAULT_PRESET)) {
            builder.kernel(config);
        }
    }
}
