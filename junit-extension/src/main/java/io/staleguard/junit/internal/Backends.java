package io.staleguard.junit.internal;

import io.staleguard.junit.Backend;
import java.util.EnumMap;
import java.util.Map;

/** The backend factories of this build. */
public final class Backends {

    private static final Map<Backend, BackendFactory> FACTORIES = new EnumMap<>(Backend.class);

    static {
        FACTORIES.put(Backend.SIMULATED, new SimulatedBackend());
        FACTORIES.put(Backend.FILE, new FileBackend(FileDeviceOpener::open));
        FACTORIES.put(Backend.LOOP, new LoopBackend());
    }

    private Backends() {
    }

    /** The factory of {@code backend}. */
    public static BackendFactory of(Backend backend) {
        return FACTORIES.get(backend);
    }
}
