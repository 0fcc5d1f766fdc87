package io.staleguard.junit.internal;

import io.staleguard.junit.Backend;
import java.util.EnumMap;
import java.util.Map;

/** The backend factories of this build. */
public final class Backends {

    private static final Map<Backend, BackendFactory> FACTORIES =
            java.util.Collections.synchronizedMap(new EnumMap<>(Backend.class));

    static {
        FACTORIES.put(Backend.SIMULATED, new SimulatedBackend());
        FACTORIES.put(Backend.FILE, new FileBackend(FileDeviceOpener::open));
        FACTORIES.put(Backend.LOOP, new LoopBackend());
    }

    private Backends() {
    }

    /**
     * Replaces a backend's factory until the returned handle is closed; for the extension's own tests of
     * availability handling, which must not depend on the host.
     */
    static AutoCloseable replace(Backend backend, BackendFactory factory) {
        BackendFactory old = FACTORIES.put(backend, factory);
        return () -> FACTORIES.put(backend, old);
    }

    /** The factory of {@code backend}. */
    public static BackendFactory of(Backend backend) {
        return FACTORIES.get(backend);
    }
}
