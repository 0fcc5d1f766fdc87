package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * One time a fault fired, as {@link FaultInjector#fired()} lists it; each is also an
 * {@code IO_FAULT} event of the device's operation log.
 *
 * @param fault    the fault as it was when it fired
 * @param sequence the device operation it hit (its sequence number), or the device's fsync count
 *                 for an fsync error, or 0 for a path's own media read (a page-cache fill)
 * @param time     the instant, on the clock of the device's operation log
 * @param thread   the thread whose operation it hit
 * @param offset   first device byte of the range it hit
 * @param length   bytes of that range
 * @param note     what happened, in words ({@code "partial-write: 300 of 1000 bytes, the continuation fails with EIO"})
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record FiredFault(Fault fault, long sequence, long time, String thread, long offset, long length, String note) {
}
