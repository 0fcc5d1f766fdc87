package io.staleguard.device.hooks;

/** The kind of a device operation, as seen by interleaving hooks. */
public enum OpKind {
    /** A read (synchronous or asynchronous, scattering or not). */
    READ,
    /** A write (synchronous or asynchronous, gathering or not). */
    WRITE
}
