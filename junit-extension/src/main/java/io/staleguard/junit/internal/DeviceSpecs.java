package io.staleguard.junit.internal;

import io.staleguard.device.core.PiMismatch;
import io.staleguard.device.sim.FaultSpec;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.junit.Backend;
import io.staleguard.junit.Device;
import io.staleguard.junit.Filesystem;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Turns an {@link InjectionPoint} into a {@link DeviceSpec}, refusing every bad combination with an
 * {@link ExtensionConfigurationException} that names the point and the bad value.
 */
public final class DeviceSpecs {

    /** The preset used when none is named. */
    public static final String DEFAULT_PRESET = "MODERN";

    private DeviceSpecs() {
    }

    /** Resolves the point's device under the run-wide settings. */
    public static DeviceSpec resolve(InjectionPoint point, Settings settings) {
        Device d = point.device();
        Class<?> type = point.type();
        if (!InjectableTypes.supported(type)) {
            throw error(point, "@Device cannot inject a " + type.getName() + "; supported types are "
                    + InjectableTypes.names());
        }
        boolean path = type == Path.class;
        boolean simulatedType = InjectableTypes.isSimulatedDevice(type);

        long capacity;
        try {
            capacity = Sizes.parse(d.size());
        } catch (IllegalArgumentException e) {
            throw error(point, "@Device(size = \"" + d.size() + "\"): " + e.getMessage());
        }
        if (d.blockSize() != 512 && d.blockSize() != 4096) {
            throw error(point, "@Device(blockSize = " + d.blockSize() + "): the block size must be 512 or 4096");
        }
        if (capacity <= 0 || capacity % d.blockSize() != 0) {
            throw error(point, "@Device(size = \"" + d.size() + "\"): the size (" + capacity + " bytes) must be a "
                    + "positive multiple of the block size " + d.blockSize());
        }
        ProtectionFormat protection;
        try {
            protection = ProtectionFormat.named(d.protection());
        } catch (IllegalArgumentException e) {
            throw error(point, "@Device(protection = \"" + d.protection() + "\"): " + e.getMessage());
        }
        double st = d.shortTransfers();
        if (Double.isNaN(st) || st > 1) {
            throw error(point, "@Device(shortTransfers = " + st + "): a probability must be between 0 and 1 "
                    + "(or negative for the backend's default)");
        }

        Backend declared = d.backend();
        if (!d.kernel().isBlank() && declared != Backend.SIMULATED) {
            throw error(point, "@Device(backend = " + declared + ", kernel = \"" + d.kernel() + "\"): a kernel preset "
                    + "configures the simulated Linux I/O stack, but the " + declared + " backend runs the host "
                    + "kernel; remove kernel or use Backend.SIMULATED");
        }
        if (simulatedType && declared != Backend.SIMULATED) {
            throw error(point, "@Device(backend = " + declared + ") cannot inject a SimulatedDevice; inject a "
                    + "BlockDevice, or use Backend.SIMULATED");
        }
        if (d.filesystem() != Filesystem.NONE && declared != Backend.LOOP) {
            throw error(point, "@Device(filesystem = " + d.filesystem() + ") applies to Backend.LOOP only, not "
                    + declared);
        }

        Backend backend = declared;
        boolean overridden = false;
        if (settings.backend().isPresent() && settings.backend().get() != declared) {
            Backend wanted = settings.backend().get();
            // A SimulatedDevice parameter needs the simulated device, and a Path needs a real filesystem: the
            // override only applies where the injected type can follow it. A Crash's Path stays simulated too.
            boolean compatible = !(simulatedType || (path && wanted == Backend.SIMULATED)
                    || (point.crashBound() && declared == Backend.SIMULATED));
            if (compatible) {
                backend = wanted;
                overridden = true;
            }
        }
        if (path && st > 0 && backend != Backend.SIMULATED) {
            throw error(point, "@Device(shortTransfers = " + st + ") on a Path: the verifying filesystem does not "
                    + "inject short transfers yet; inject a FileChannel or BlockDevice to test short transfers, or "
                    + "use a Path on Backend.SIMULATED");
        }
        String preset = "";
        if (backend == Backend.SIMULATED) {
            preset = settings.kernel().orElse(d.kernel().isBlank() ? DEFAULT_PRESET : d.kernel().trim());
        }
        if (!preset.isEmpty()) {
            try {
                io.staleguard.device.sim.kernel.KernelConfig.parse(preset);
            } catch (IllegalArgumentException e) {
                throw error(point, (settings.kernel().isPresent() ? Settings.KERNEL + "='" + preset + "'"
                        : "@Device(kernel = \"" + preset + "\")") + ": " + e.getMessage());
            }
        }
        if (d.dax() && backend != Backend.SIMULATED) {
            throw error(point, "@Device(backend = " + backend + ", dax = true): DAX mode is a mode of the simulated "
                    + "Linux I/O stack, but the " + backend + " backend runs the host kernel; use backend = SIMULATED");
        }
        // A historical preset's test should see the hazard of its history alone: no injected short transfers
        // unless asked for.
        io.staleguard.device.sim.kernel.KernelConfig config = preset.isEmpty() ? null
                : io.staleguard.device.sim.kernel.KernelConfig.parse(preset);
        boolean modern = config == null || config.spec().equals(DEFAULT_PRESET);
        boolean dax = backend == Backend.SIMULATED && (d.dax() || (config != null
                && config.daxFaultLocking() == io.staleguard.device.sim.kernel.DaxFaultLocking.UNLOCKED_FAULT));
        double shortTransfers = st >= 0 ? st
                : backend == Backend.SIMULATED && modern ? Device.DEFAULT_SHORT_TRANSFERS : 0;
        Filesystem fs = d.filesystem();
        if (backend == Backend.LOOP && path && fs == Filesystem.NONE) {
            fs = Filesystem.EXT4;
        }
        if (backend != Backend.LOOP) {
            fs = Filesystem.NONE;
        }
        FaultSpec faults = faults(point, d, settings, declared, backend);
        PiMismatch piMismatch = d.piMismatch();
        if (piMismatch != PiMismatch.REPORT && declared != Backend.SIMULATED) {
            throw error(point, "@Device(backend = " + declared + ", piMismatch = " + piMismatch + "): failing reads on "
                    + "a PI mismatch is an option of the simulated device; use Backend.SIMULATED");
        }
        if (backend != Backend.SIMULATED) {
            piMismatch = PiMismatch.REPORT; // dropped under a staleguard.backend override, as the preset is
        }
        return new DeviceSpec(backend, overridden, capacity, d.blockSize(), protection, preset, shortTransfers, fs,
                d.name(), path, dax, faults, piMismatch);
    }

    /**
     * The point's faults: {@code staleguard.faults} if set (it replaces the annotation on every simulated device),
     * else {@code @Device(faults)}; refused on a declared real backend, dropped under a backend override to one.
     */
    private static FaultSpec faults(InjectionPoint point, Device d, Settings settings, Backend declared,
                                    Backend backend) {
        FaultSpec declaredSpec;
        try {
            declaredSpec = FaultSpec.parse(d.faults());
        } catch (IllegalArgumentException e) {
            throw error(point, "@Device(faults = \"" + d.faults() + "\"): " + e.getMessage());
        }
        if (!declaredSpec.isNone() && declared != Backend.SIMULATED) {
            throw error(point, "@Device(backend = " + declared + ", faults = \"" + d.faults() + "\"): faults are "
                    + "injected by the simulated device; Backend." + declared + " runs the host kernel: use "
                    + "Backend.SIMULATED");
        }
        if (backend != Backend.SIMULATED) {
            return FaultSpec.NONE;
        }
        return settings.faults().orElse(declaredSpec);
    }

    /** Checks that two points sharing one device name ask for the same device. */
    public static void checkShared(InjectionPoint first, DeviceSpec a, InjectionPoint second, DeviceSpec b) {
        if (!sameDevice(a, b)) {
            throw error(second, "@Device(name = \"" + second.device().name() + "\") is also declared by "
                    + first.where() + " with different settings (" + a.describe() + " vs " + b.describe()
                    + "); points sharing a name must declare the same device");
        }
    }

    /**
     * Whether two specs describe one device. On SIMULATED a {@code Path} and a device parameter of one name share
     * the device: the directory is on that device's filesystem, so whether a point is a {@code Path} is no
     * difference there. On FILE and LOOP a {@code Path} is a host directory, not the raw device.
     */
    static boolean sameDevice(DeviceSpec a, DeviceSpec b) {
        return a.equals(b) || (a.backend() == Backend.SIMULATED && a.withPathRoot(b.pathRoot()).equals(b));
    }

    static ExtensionConfigurationException error(InjectionPoint point, String message) {
        return new ExtensionConfigurationException(message + " [" + point.where() + "]");
    }
}
