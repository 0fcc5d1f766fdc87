/**
 * Real backends on the host: {@link io.staleguard.device.file.FileDevice} (a regular file, through the real
 * page cache or with {@code O_DIRECT}), its {@link io.staleguard.device.file.MappedRegion} and
 * {@link io.staleguard.device.file.Advice}, and what every real backend shares
 * ({@link io.staleguard.device.file.RealBlockDevice}, {@link io.staleguard.device.file.RealDeviceBuilder},
 * {@link io.staleguard.device.file.RealTarget}).
 *
 * <p>Stable: {@code FileDevice}, {@code MappedRegion} and {@code Advice}; experimental: {@code RealBlockDevice},
 * {@code RealDeviceBuilder} and {@code RealTarget}.
 */
package io.staleguard.device.file;
