package io.staleguard.junit.internal;

import io.staleguard.device.Seeds;
import io.staleguard.junit.BackendUnavailableException;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.opentest4j.TestAbortedException;

/**
 * Makes the devices of a scope from its injection points: resolves and cross-checks every spec first (so a
 * configuration error is reported before anything is created), then checks availability, then opens.
 */
final class Provisioner {

    private Provisioner() {
    }

    /** Validates every point, then opens the device of each key not yet in {@code scope}. */
    static void provision(DeviceScope scope, List<InjectionPoint> points, RunContext run) throws Exception {
        java.util.Map<String, DeviceScope.Entry> planned = new java.util.LinkedHashMap<>();
        for (InjectionPoint p : points) {
            DeviceSpec spec = DeviceSpecs.resolve(p, run.settings());
            String key = p.deviceKey();
            DeviceScope.Entry existing = planned.containsKey(key) ? planned.get(key) : scope.find(key);
            if (existing != null) {
                DeviceSpecs.checkShared(existing.first(), existing.spec(), p, spec);
                if (spec.pathRoot() && !existing.spec().pathRoot() && existing.device() == null) {
                    // A Path among the points of a simulated device: the device gets its filesystem.
                    planned.put(key, new DeviceScope.Entry(existing.first(), existing.spec().withPathRoot(true),
                            null));
                }
                continue;
            }
            planned.put(key, new DeviceScope.Entry(p, spec, null));
        }
        for (DeviceScope.Entry e : planned.values()) {
            checkAvailable(e.spec(), e.first(), run);
        }
        for (var entry : planned.entrySet()) {
            DeviceScope.Entry e = entry.getValue();
            String label = e.first().device().name().isEmpty() ? "device of " + e.first().where()
                    : "device '" + e.first().device().name() + "'";
            long seed = Seeds.derive(scope.seed(), entry.getKey().startsWith("name:") ? entry.getKey()
                    : e.first().key());
            ManagedDevice device;
            try {
                device = ManagedDevice.open(label, e.spec(), seed);
            } catch (ExtensionConfigurationException | BackendUnavailableException | TestAbortedException ex) {
                throw ex;
            } catch (Exception ex) {
                throw new IllegalStateException("could not open the " + label + " (" + e.spec().describe() + "): "
                        + ex.getMessage(), ex);
            }
            scope.put(entry.getKey(), new DeviceScope.Entry(e.first(), e.spec(), device));
        }
    }

    static void checkAvailable(DeviceSpec spec, InjectionPoint point, RunContext run) {
        String reason = Backends.of(spec.backend()).unavailableReason(spec);
        if (reason == null) {
            return;
        }
        String message = "the " + spec.backend() + " backend is unavailable for " + point.where() + ": " + reason;
        if (run.settings().skipUnavailable()) {
            throw new TestAbortedException(message + " (skipped: " + Settings.UNAVAILABLE + "=skip)");
        }
        throw new BackendUnavailableException(message + "; set " + Settings.UNAVAILABLE + "=skip (system property"
                + " or junit-platform.properties) to skip such tests instead");
    }
}
