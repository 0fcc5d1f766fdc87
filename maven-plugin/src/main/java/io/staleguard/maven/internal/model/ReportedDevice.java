package io.staleguard.maven.internal.model;

/**
 * One entry of a per-test report's {@code devices} array, as far as the plugin uses it: the label and a simulated
 * device's storage faults.
 *
 * @param label   {@code device 'name'}, {@code device of parameter 'x' of Cls#m(Path)}, {@code rewriters …}
 * @param backend {@code SIMULATED}, {@code FILE} or {@code LOOP}; empty for rewriters
 * @param faults  the faults of a simulated device (format 1.2), or null (older reports, other sources)
 */
public record ReportedDevice(String label, String backend, ReportedFaults faults) {

    public ReportedDevice {
        label = label == null ? "" : label;
        backend = backend == null ? "" : backend;
    }
}
