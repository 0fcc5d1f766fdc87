/**
 * Real backends on the host: {@link io.staleguard.device.file.FileDevice} (a regular file, through the real
 * page cache or with {@code O_DIRECT}), its {@link io.staleguard.device.file.MappedRegion} and
 * {@link io.staleguard.device.file.Advice}, and what every real backend shares
 * ({@link io.staleguard.device.file.RealBlockDevice}, {@link io.staleguard.device.file.RealDeviceBuilder},
 * {@link io.staleguard.device.file.RealTarget}), and hazards H1 and H2 on a real kernel
 * ({@link io.staleguard.device.file.RingBufferWorkload}).
 *
 * <p>Stable: {@code FileDevice}, {@code MappedRegion} and {@code Advice}; experimental: {@code RealBlockDevice},
 * {@code RealDeviceBuilder}, {@code RealTarget} and {@code RingBufferWorkload}.
 */
package io.staleguard.device.file;
