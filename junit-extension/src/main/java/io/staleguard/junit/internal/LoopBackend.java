package io.staleguard.junit.internal;

/** The LOOP backend: a loop device over a fresh image, optionally with a mounted filesystem. */
final class LoopBackend implements BackendFactory {

    @Override
    public String unavailableReason(DeviceSpec spec) {
        return "the LOOP backend is not in this build yet";
    }

    @Override
    public Opened open(DeviceSpec spec, long seed, String label) throws Exception {
        throw new UnsupportedOperationException(unavailableReason(spec));
    }
}
