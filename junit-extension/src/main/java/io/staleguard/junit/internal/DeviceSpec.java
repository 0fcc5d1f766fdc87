package io.staleguard.junit.internal;

import io.staleguard.device.core.PiMismatch;
import io.staleguard.device.sim.FaultSpec;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.junit.Backend;
import io.staleguard.junit.Filesystem;

/**
 * A device as the extension will build it: the {@code @Device} attributes parsed, validated and combined with
 * the run-wide overrides.
 *
 * @param backend          the effective backend
 * @param backendOverridden whether {@code staleguard.backend} changed it
 * @param capacity         bytes
 * @param blockSize        512 or 4096
 * @param protection       the PI format
 * @param preset           the simulated-stack preset; empty on real backends
 * @param shortTransfers   probability of a short transfer (0 disables)
 * @param filesystem       the LOOP filesystem ({@code NONE} for a raw device)
 * @param name             the sharing name, or empty
 * @param pathRoot         whether the device is used through a {@code Path} (a verifying filesystem on FILE
 *                         and LOOP, the simulated filesystem on SIMULATED)
 * @param dax              whether the simulated device runs in DAX mode
 * @param faults           the simulated device's seeded faults ({@code FaultSpec.NONE} on real backends)
 * @param piMismatch       what a read does on a PI mismatch
 */
public record DeviceSpec(Backend backend, boolean backendOverridden, long capacity, int blockSize,
                         ProtectionFormat protection, String preset, double shortTransfers, Filesystem filesystem,
                         String name, boolean pathRoot, boolean dax, FaultSpec faults, PiMismatch piMismatch) {

    /** This spec with {@code pathRoot} set as given. */
    public DeviceSpec withPathRoot(boolean path) {
        return path == pathRoot ? this : new DeviceSpec(backend, backendOverridden, capacity, blockSize, protection,
                preset, shortTransfers, filesystem, name, path, dax, faults, piMismatch);
    }

    /** One line for reports and messages. */
    public String describe() {
        return backend + " " + Sizes.render(capacity) + " bs=" + blockSize + " pi=" + protection.name()
                + (preset.isEmpty() ? "" : " preset=" + preset) + (dax ? " dax" : "")
                + (shortTransfers > 0 ? " shortTransfers=" + shortTransfers : "")
                + (filesystem == Filesystem.NONE ? "" : " fs=" + filesystem)
                + (faults.isNone() ? "" : " faults=" + faults)
                + (piMismatch == PiMismatch.REPORT ? "" : " piMismatch=" + piMismatch)
                + (pathRoot ? " (Path)" : "");
    }
}
