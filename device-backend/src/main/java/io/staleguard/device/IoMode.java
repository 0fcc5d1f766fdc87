package io.staleguard.device;

/**
 * How one I/O call reaches the media.
 *
 * <p>{@link #DIRECT} follows Linux {@code O_DIRECT} rules: the offset, the length and the
 * buffer's memory address must be multiples of the device's logical block size. {@link #BUFFERED}
 * accepts any alignment and, on devices that model a page cache, goes through it.
 */
public enum IoMode {
    /** Through the (simulated or real) page cache; any alignment. */
    BUFFERED,
    /** Bypasses the page cache; offset, length and buffer address must be block aligned. */
    DIRECT
}
