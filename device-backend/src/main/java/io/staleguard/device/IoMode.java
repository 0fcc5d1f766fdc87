package io.staleguard.device;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * How one I/O call reaches the media.
 *
 * <p>{@link #DIRECT} follows Linux {@code O_DIRECT} rules: the offset, the length and the
 * buffer's memory address must be multiples of the device's logical block size. {@link #BUFFERED}
 * accepts any alignment and, on devices that model a page cache, goes through it.
 */
@API(status = STABLE, since = "0.1")
public enum IoMode {
    /** Through the (simulated or real) page cache; any alignment. */
    BUFFERED,
    /** Bypasses the page cache; offset, length and buffer address must be block aligned. */
    DIRECT
}
