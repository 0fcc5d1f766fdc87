package io.staleguard.device.file;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** posix_fadvise(2) advice for a range of a real device. */
@API(status = STABLE, since = "0.1")
public enum Advice {
    /** Default read-ahead. */
    NORMAL,
    /** Random access: little read-ahead. */
    RANDOM,
    /** Sequential access: larger read-ahead. */
    SEQUENTIAL,
    /** Start read-ahead of the range now. */
    WILLNEED,
    /** Drop the clean cached pages of the range. */
    DONTNEED,
    /** The range is accessed once. */
    NOREUSE
}
