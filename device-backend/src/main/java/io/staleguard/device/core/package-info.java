/**
 * The verifying front end's public face: {@link io.staleguard.device.core.VerifyingDevice} (a device
 * with its detectors and counters), {@link io.staleguard.device.core.ForwardingDevice} (the base every
 * backend class composes the front end through), and the options every backend's builder shares,
 * {@link io.staleguard.device.core.DeviceOptions} and {@link io.staleguard.device.core.DeviceSettings}.
 * The front end itself, built from stages, is in {@code io.staleguard.device.core.internal}.
 *
 * <p>Experimental: every type.
 */
package io.staleguard.device.core;
