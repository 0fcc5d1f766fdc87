package io.staleguard.junit;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** Where a {@link Device @Device} keeps its data. */
@API(status = STABLE, since = "0.1.0")
public enum Backend {
    /** The in-memory simulated device with the simulated Linux I/O stack; needs nothing from the host. */
    SIMULATED,
    /** A regular file in a temporary directory on the host filesystem; needs no privileges. */
    FILE,
    /**
     * A loop device over a fresh sparse image, optionally with a filesystem; needs root and a free loop device.
     * When unavailable, the test fails with the reason (or is skipped with {@code staleguard.unavailable=skip}).
     */
    LOOP
}
