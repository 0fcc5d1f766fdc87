/**
 * T10 protection information: the formats ({@link io.staleguard.device.integrity.ProtectionFormat},
 * {@link io.staleguard.device.integrity.GuardAlgorithm}, {@link io.staleguard.device.integrity.PiType}), the
 * 8- or 16-byte tuple ({@link io.staleguard.device.integrity.PiTuple}), the guard checksums, and generating,
 * storing and verifying tuples ({@link io.staleguard.device.integrity.ProtectionInformation},
 * {@link io.staleguard.device.integrity.PiStore}, {@link io.staleguard.device.integrity.TagMismatch}).
 *
 * <p>Stable: the formats, the tuple and the checksums; experimental: {@code ProtectionInformation},
 * {@code TagMismatch} and {@code PiStore}.
 */
package io.staleguard.device.integrity;
