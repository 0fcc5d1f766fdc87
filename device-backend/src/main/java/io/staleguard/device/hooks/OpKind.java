package io.staleguard.device.hooks;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** The kind of a device operation, as seen by interleaving hooks. */
@API(status = STABLE, since = "0.1")
public enum OpKind {
    /** A read (synchronous or asynchronous, scattering or not). */
    READ,
    /** A write (synchronous or asynchronous, gathering or not). */
    WRITE
}
