/**
 * {@link io.staleguard.device.loop.LoopDevice}: a loop device this run creates, formats, mounts and always
 * releases, with its {@link io.staleguard.device.loop.FilesystemType} and whether the host can provide one
 * ({@link io.staleguard.device.loop.Availability}).
 *
 * <p>Experimental: every type.
 */
package io.staleguard.device.loop;
