/**
 * The loop device's life on the host: {@code losetup}, {@code mkfs} and mounts, the markers and registry by
 * which a run finds and reaps what it left attached, and the availability probe. Implementation, not API.
 */
@API(status = INTERNAL, since = "0.1")
package io.staleguard.device.loop.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
