package io.staleguard.junit.internal;

/** The SIMULATED backend: the in-memory simulated device with a kernel preset. */
final class SimulatedBackend implements BackendFactory {

    @Override
    public String unavailableReason(DeviceSpec spec) {
        return null;
    }

    @Override
    public Opened open(DeviceSpec spec, long seed, String label) throws Exception {
        throw new UnsupportedOperationException("the simulated device is not in this build yet");
    }
}
