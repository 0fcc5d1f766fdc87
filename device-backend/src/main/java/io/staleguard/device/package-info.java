/**
 * The vocabulary every other package speaks: {@link io.staleguard.device.BlockDevice}, how one call
 * reaches the media ({@link io.staleguard.device.IoMode}, {@link io.staleguard.device.IoCaller},
 * {@link io.staleguard.device.CompletionOrder}), and what a detector reports
 * ({@link io.staleguard.device.Violation}, {@link io.staleguard.device.ViolationKind},
 * {@link io.staleguard.device.ViolationLog}, {@link io.staleguard.device.TimelineEvent}). Uses the JDK only.
 *
 * <p>Stable: every type but {@code Seeds}, {@code FileLocation} and {@code FileLocator}, which are experimental.
 */
package io.staleguard.device;
