/**
 * The verifying front end, one stage per class, composed by {@link io.staleguard.device.core.internal.FrontEnd}
 * over a backend's {@link io.staleguard.device.core.internal.Media}: call checks, transfer planning,
 * scheduling, write landing, read verification, tuple verification, raw media access, scratch arrays, and
 * the violations' wording. Implementation, not API.
 */
@API(status = INTERNAL, since = "0.1")
package io.staleguard.device.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
