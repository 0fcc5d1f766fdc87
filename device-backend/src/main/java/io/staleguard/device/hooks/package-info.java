/**
 * Interleaving hooks: {@link io.staleguard.device.hooks.DeviceHooks} holds the operations an
 * {@link io.staleguard.device.hooks.OpMatcher} picks at a {@link io.staleguard.device.hooks.Stage}, behind a
 * {@link io.staleguard.device.hooks.Gate}, so that a test forces a race instead of hoping for it.
 *
 * <p>Stable: every type.
 */
package io.staleguard.device.hooks;
