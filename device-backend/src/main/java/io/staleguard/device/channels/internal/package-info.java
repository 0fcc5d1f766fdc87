/**
 * What the device's NIO channels and the simulated filesystem's channels share: the JDK's argument and
 * open-state checks, and the adapters that turn an asynchronous channel's futures into completion-handler calls.
 * Implementation, not API.
 */
@API(status = INTERNAL, since = "0.1")
package io.staleguard.device.channels.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
