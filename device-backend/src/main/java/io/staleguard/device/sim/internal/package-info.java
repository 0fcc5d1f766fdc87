/**
 * How the simulated device plugs into the verifying front end: its in-memory media, the route and port
 * through which an {@link io.staleguard.device.sim.IoPath} sees operations and the media, and the
 * operation type that is its own public view. Implementation, not API.
 */
@API(status = INTERNAL, since = "0.1")
package io.staleguard.device.sim.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
