/**
 * {@link io.staleguard.device.channels.DeviceChannels}: {@code FileChannel} and
 * {@code AsynchronousFileChannel} views of any {@link io.staleguard.device.BlockDevice}, for code under
 * test that speaks NIO.
 *
 * <p>Stable: every type.
 */
package io.staleguard.device.channels;
